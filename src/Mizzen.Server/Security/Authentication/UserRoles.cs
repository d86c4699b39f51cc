using System.Text.Json;
using Microsoft.Extensions.Options;
using Mizzen.Persistence.Documents;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// <see cref="IUserRoles"/> on the document store (collection <c>auth-login-roles</c>, one document per lower-cased user name, so every
/// node of a cluster sees the same roles) and the configuration's file users and service accounts.
/// </summary>
public sealed class UserRoles(IDocumentStore documents, IOptions<AuthOptions> options, TimeProvider time) : IUserRoles
{
    public const string Collection = "auth-login-roles";

    public async Task<IReadOnlyList<string>> GetRolesAsync(string user, CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        var stored = await documents.GetAsync(Collection, Key(user), revision: null, cancellationToken);
        if (stored is not null)
        {
            roles.AddRange(JsonSerializer.Deserialize<LoginRoles>(stored.Body, JsonSerializerOptions.Web)?.Roles ?? []);
        }

        if (options.Value.Users.TryGetValue(user, out var file))
        {
            roles.AddRange(file.Roles);
        }

        if (options.Value.ServiceAccounts.TryGetValue(user, out var service))
        {
            roles.AddRange(service.Roles);
        }

        return [.. roles.Select(MizzenAuth.NormalizeRole).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public async Task RememberLoginAsync(string user, IReadOnlyList<string> roles, string source, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new LoginRoles(user, [.. roles.Select(MizzenAuth.NormalizeRole)], source, time.GetUtcNow()), JsonSerializerOptions.Web);
        await documents.PutAsync(Collection, Key(user), body, user, cancellationToken);
    }

    public bool IsServiceAccount(string user) => options.Value.ServiceAccounts.ContainsKey(user);

    private static string Key(string user) => user.Trim().ToLowerInvariant();

    private sealed record LoginRoles(string User, IReadOnlyList<string> Roles, string Source, DateTimeOffset At);
}
