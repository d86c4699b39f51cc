using Mizzen.Testing.Ldap;

namespace Mizzen.Server.Tests.Security;

/// <summary>
/// One real slapd per test class: alice (Deployers and Viewers by <c>member</c>, ops by <c>memberUid</c>), bob (no groups), and
/// "o'brien, jr" whose name needs escaping in filters and DNs.
/// </summary>
public sealed class DirectoryFixture : IAsyncLifetime
{
    public SlapdProcess Slapd { get; private set; } = null!;

    public async Task InitializeAsync() => Slapd = await SlapdProcess.StartAsync(
        SlapdProcess.Person("alice", "alice-pw") + SlapdProcess.Person("bob", "bob-pw")
        + SlapdProcess.Group("Deployers", "alice") + SlapdProcess.Group("Viewers", "alice", "bob") + SlapdProcess.PosixGroup("ops", 5000, "alice"));

    public async Task DisposeAsync() => await Slapd.DisposeAsync();
}
