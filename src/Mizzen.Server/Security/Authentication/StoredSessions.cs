using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Mizzen.Persistence.Documents;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// The UI's sessions, kept in the store (collection <c>auth-sessions</c>, keyed by a random id): the session cookie carries only that id,
/// so signing out ends the session on the server, on every node, and a copy of the cookie taken before is worth nothing (with the whole
/// ticket in the cookie it would stay valid until it expired). Each cookie request reads one document, as an API token's does. Expired
/// sessions are deleted when read, and swept at a sign-in at most once per <see cref="SweepInterval"/> (a sweep lists the collection,
/// which a sign-in should not pay for every time).
/// </summary>
public sealed class StoredSessions(IDocumentStore documents, TimeProvider time) : ITicketStore
{
    public const string Collection = "auth-sessions";

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);
    private long nextSweepTicks;

    public async Task<string> StoreAsync(AuthenticationTicket ticket) => await StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        await SweepAsync(cancellationToken);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await SaveAsync(key, ticket, cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) => SaveAsync(key, ticket, cancellationToken);

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        if (await documents.GetAsync(Collection, key, revision: null, cancellationToken) is not { } document)
        {
            return null;
        }

        var session = JsonSerializer.Deserialize<Session>(document.Body, JsonSerializerOptions.Web);
        if (session is null || session.ExpiresAt <= time.GetUtcNow())
        {
            await documents.DeleteAsync(Collection, key, cancellationToken);
            return null;
        }

        return TicketSerializer.Default.Deserialize(Convert.FromBase64String(session.Ticket));
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken) => await documents.DeleteAsync(Collection, key, cancellationToken);

    private async Task SaveAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var expires = ticket.Properties.ExpiresUtc ?? time.GetUtcNow().AddDays(1);
        var body = JsonSerializer.Serialize(new Session(MizzenAuth.UserName(ticket.Principal), expires, Convert.ToBase64String(TicketSerializer.Default.Serialize(ticket))), JsonSerializerOptions.Web);
        await documents.PutAsync(Collection, key, body, MizzenAuth.UserName(ticket.Principal), cancellationToken);
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due)
        {
            return; // swept lately, or another sign-in is sweeping now
        }

        foreach (var document in await documents.ListAsync(Collection, cancellationToken))
        {
            if (JsonSerializer.Deserialize<Session>(document.Body, JsonSerializerOptions.Web) is not { } session || session.ExpiresAt <= now)
            {
                await documents.DeleteAsync(Collection, document.Key, cancellationToken);
            }
        }
    }

    private sealed record Session(string User, DateTimeOffset ExpiresAt, string Ticket);

    /// <summary>Puts the session cookie's tickets in <see cref="StoredSessions"/>.</summary>
    internal sealed class Setup(IDocumentStore documents, TimeProvider time) : IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            if (name == AuthenticationRegistration.CookieScheme)
            {
                options.SessionStore = new StoredSessions(documents, time);
            }
        }
    }
}
