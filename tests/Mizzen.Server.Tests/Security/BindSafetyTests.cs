using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Mizzen.Server.Hosting;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Tests.Durability;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Security;

/// <summary><c>serve --bind</c> beyond loopback needs authentication or an explicit <c>--insecure-no-auth</c>.</summary>
public sealed class BindSafetyTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-bind-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public async Task Serve_bound_to_every_interface_without_authentication_exits_with_one_line_saying_what_to_do()
    {
        var port = ServerProcess.FreePort();

        var refused = await ServerProcess.RunToExitAsync(TimeSpan.FromSeconds(60), "--bind", "0.0.0.0", "--port", $"{port}", "--data", data);

        refused.Exit.ShouldBe(1);
        refused.Err.TrimEnd('\n').Split('\n').ShouldHaveSingleItem().ShouldBe(
            "mizzen: refusing to listen on 0.0.0.0 without authentication: anyone who reaches it could deploy. Configure Mizzen:Auth (LDAP, OIDC, " +
            "or Enabled with API tokens; see docs/authentication.md), bind to 127.0.0.1, or pass --insecure-no-auth to accept the risk");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    public void Loopback_addresses_need_no_authentication(string bind)
    {
        var logs = new RecordedLogs();

        BindSafety.Check(Arguments("--bind", bind), Settings(), logs.CreateLogger("test"));

        logs.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void Insecure_no_auth_starts_with_a_warning_naming_the_address()
    {
        var logs = new RecordedLogs();

        BindSafety.Check(Arguments("--bind", "10.1.2.3", "--insecure-no-auth"), Settings(), logs.CreateLogger("test"));

        var warning = logs.Entries.ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldStartWith("listening on 10.1.2.3 WITHOUT AUTHENTICATION (--insecure-no-auth)");
    }

    [Theory]
    [InlineData("Mizzen:Auth:Enabled", "true")]
    [InlineData("Mizzen:Auth:Ldap:Url", "ldap://directory.example:389")]
    [InlineData("Mizzen:Auth:Oidc:Authority", "https://idp.example")]
    public void Any_configured_authentication_allows_every_interface_and_over_plain_http_warns_that_sign_ins_cross_in_the_clear(string key, string value)
    {
        var logs = new RecordedLogs();

        BindSafety.Check(Arguments("--bind", "0.0.0.0"), Settings((key, value)), logs.CreateLogger("test"));

        var warning = logs.Entries.ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldStartWith("listening on 0.0.0.0 over plain HTTP with sign-in on");
    }

    [Theory]
    [InlineData("Mizzen:Https:CertificateFile", "/etc/mizzen/tls.pfx")]
    [InlineData("Mizzen:Proxy:KnownProxies:0", "10.0.0.5")]
    [InlineData("Mizzen:Proxy:KnownNetworks:0", "10.42.0.0/16")]
    public void Served_over_https_or_behind_a_named_proxy_authentication_starts_without_a_warning(string key, string value)
    {
        var logs = new RecordedLogs();

        BindSafety.Check(Arguments("--bind", "0.0.0.0"), Settings(("Mizzen:Auth:Enabled", "true"), (key, value)), logs.CreateLogger("test"));

        logs.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void Without_authentication_a_routable_address_is_refused()
    {
        Should.Throw<UnauthenticatedBindException>(() => BindSafety.Check(Arguments("--bind", "::"), Settings(), new RecordedLogs().CreateLogger("test")))
            .Message.ShouldStartWith("refusing to listen on :: without authentication");
    }

    private ServeArguments Arguments(params string[] args) => ServeArguments.Parse(["serve", "--data", data, .. args]);

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
