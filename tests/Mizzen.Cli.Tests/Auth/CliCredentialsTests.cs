using Mizzen.Cli.Auth;

namespace Mizzen.Cli.Tests.Auth;

/// <summary>The CLI's config file of tokens: one per server, mode 0600, a broken file named with what to do.</summary>
public sealed class CliCredentialsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-cli-credentials-").FullName;

    private string File => Path.Combine(folder, "sub", "config.json");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_token_is_kept_per_server_in_a_file_only_its_owner_may_read()
    {
        CliCredentials.Load(File).Store(new Uri("http://Mizzen.example:8084/api"), "mzn_a_1", "alice");
        CliCredentials.Load(File).Store(new Uri("http://127.0.0.1:8084"), "mzn_b_2", "bob");

        var loaded = CliCredentials.Load(File);
        loaded.TokenFor(new Uri("http://mizzen.example:8084")).ShouldBe("mzn_a_1");
        loaded.TokenFor(new Uri("http://127.0.0.1:8084/")).ShouldBe("mzn_b_2");
        loaded.TokenFor(new Uri("http://127.0.0.1:9999")).ShouldBeNull();
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.GetUnixFileMode(File).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        loaded.Remove(new Uri("http://mizzen.example:8084")).ShouldBeTrue();
        CliCredentials.Load(File).TokenFor(new Uri("http://mizzen.example:8084")).ShouldBeNull();
        System.IO.File.Exists(File + ".tmp").ShouldBeFalse();
    }

    [Fact]
    public void A_broken_config_file_is_an_error_naming_it_and_what_to_do()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        System.IO.File.WriteAllText(File, "{ not json");

        Should.Throw<CliException>(() => CliCredentials.Load(File)).Message.ShouldStartWith($"the CLI config file {File} is not valid JSON");
    }
}
