using Microsoft.Extensions.Options;
using Mizzen.Persistence.Documents;
using Mizzen.Server.Security;
using Mizzen.Server.Security.Authentication;
using Mizzen.Testing;

namespace Mizzen.Server.Tests.Security;

/// <summary>A token's expiry and what is stored, on a real SQLite store and a test clock.</summary>
public sealed class ApiTokenExpiryTests : IDisposable
{
    private readonly SqliteTestStore store = new();

    public void Dispose() => store.Dispose();

    private ApiTokens Tokens()
    {
        var options = Options.Create(new AuthOptions { Enabled = true });
        return new ApiTokens(store.Get<IDocumentStore>(), options, new MizzenAuth(options), store.Clock);
    }

    [Fact]
    public async Task A_token_works_until_its_expiry_and_not_a_moment_after()
    {
        var tokens = Tokens();
        var (info, secret) = await tokens.CreateAsync("alice", "cli", TestTime.Start.AddHours(1), "full", CancellationToken.None);

        (await tokens.AuthenticateAsync(secret, CancellationToken.None)).ShouldBe(info);
        store.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        (await tokens.AuthenticateAsync(secret, CancellationToken.None)).ShouldBe(info);
        store.Clock.Advance(TimeSpan.FromTicks(1));
        (await tokens.AuthenticateAsync(secret, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task The_store_holds_only_a_hash_and_a_token_with_a_changed_secret_is_refused()
    {
        var tokens = Tokens();
        var (info, secret) = await tokens.CreateAsync("alice", "cli", expiresAt: null, "read", CancellationToken.None);

        var stored = (await store.Get<IDocumentStore>().GetAsync(ApiTokens.Collection, info.Id, null, CancellationToken.None))!.Body;
        stored.ShouldNotContain(secret[(secret.LastIndexOf('_') + 1)..]);
        info.ExpiresAt.ShouldBe(TestTime.Start.AddDays(90));
        (await tokens.AuthenticateAsync(secret[..^2] + (secret[^2] == 'A' ? "B" : "A") + secret[^1], CancellationToken.None)).ShouldBeNull();
        (await tokens.AuthenticateAsync("mzn_nothing_here", CancellationToken.None)).ShouldBeNull();
    }
}
