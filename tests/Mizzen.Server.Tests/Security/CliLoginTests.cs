using System.Text.Json.Nodes;
using CliSettings = global::Mizzen.Cli.CliSettings;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing.Ldap;

namespace Mizzen.Server.Tests.Security;

/// <summary><c>mizzen login</c>, <c>logout</c> and <c>token</c> against a real server signing in with a real slapd; the config file on disk.</summary>
public sealed class CliLoginTests(DirectoryFixture directory) : IClassFixture<DirectoryFixture>, IAsyncLifetime
{
    private readonly string configFolder = Directory.CreateTempSubdirectory("mizzen-cli-config-").FullName;
    private RunningServer server = null!;

    private string ConfigFile => Path.Combine(configFolder, "mizzen", "config.json");

    public async Task InitializeAsync() => server = await AuthServers.StartAsync(new JsonObject
    {
        ["Ldap"] = new JsonObject { ["Url"] = directory.Slapd.Url, ["UserDnPattern"] = "uid={0}," + SlapdProcess.People, ["GroupSearchBase"] = SlapdProcess.Groups },
    });

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(configFolder, recursive: true);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(string? password, params string[] args)
    {
        var settings = new CliSettings
        {
            GetEnvironmentVariable = name => name == CliSettings.ConfigVariable ? ConfigFile : null,
            ReadSecret = _ => password,
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await global::Mizzen.Cli.Cli.RunAsync([.. args, "--server", server.Url.ToString().TrimEnd('/')], stdout, stderr, settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Login_stores_a_token_readable_only_by_the_user_every_command_sends_it_and_logout_revokes_it()
    {
        (await RunAsync(null, "app", "list")).Err.ShouldContain("this server requires signing in");

        var login = await RunAsync("alice-pw", "login", "--username", "alice");

        login.Exit.ShouldBe(0, login.Err);
        login.Out.ShouldStartWith($"signed in to {server.Url.ToString().TrimEnd('/')} as alice; token stored in {ConfigFile}");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(ConfigFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var token = JsonNode.Parse(File.ReadAllText(ConfigFile))!["servers"]!.AsObject().Single().Value!["token"]!.GetValue<string>();
        (await RunAsync(null, "app", "list")).Exit.ShouldBe(0);

        var logout = await RunAsync(null, "logout");
        logout.Exit.ShouldBe(0, logout.Err);
        File.ReadAllText(ConfigFile).ShouldNotContain(token);
        using var revoked = server.ClientWith(token);
        (await revoked.GetAsync("/applications")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_password_is_one_line_that_does_not_say_whether_the_user_exists()
    {
        var wrong = await RunAsync("nope", "login", "--username", "alice");
        var unknown = await RunAsync("nope", "login", "--username", "nobody");

        wrong.Exit.ShouldBe(1);
        wrong.Err.ShouldContain("the user name or password is wrong");
        unknown.Err.ShouldBe(wrong.Err);
        File.Exists(ConfigFile).ShouldBeFalse();
    }

    [Fact]
    public async Task Token_create_list_revoke_and_login_with_a_given_token()
    {
        (await RunAsync("bob-pw", "login", "--username", "bob")).Exit.ShouldBe(0);

        var created = await RunAsync(null, "token", "create", "--name", "jenkins", "--scope", "read");
        created.Exit.ShouldBe(0, created.Err);
        var secret = created.Out.Trim();
        secret.ShouldStartWith("mzn_");
        created.Err.ShouldContain("copy it now, it is not shown again");

        var list = await RunAsync(null, "token", "list");
        list.Out.ShouldContain("jenkins");
        list.Out.ShouldNotContain(secret);

        (await RunAsync(null, "logout")).Exit.ShouldBe(0);
        var withToken = await RunAsync(null, "login", "--token", secret);
        withToken.Out.ShouldStartWith($"signed in to {server.Url.ToString().TrimEnd('/')} as bob");
        var id = secret[4..secret.IndexOf('_', 4)];
        (await RunAsync(null, "token", "revoke", id)).Exit.ShouldBe(1); // a read-only token may not revoke
        (await RunAsync("bob-pw", "login", "--username", "bob")).Exit.ShouldBe(0);
        (await RunAsync(null, "token", "revoke", id)).Out.ShouldBe($"token {id} revoked\n");
    }
}
