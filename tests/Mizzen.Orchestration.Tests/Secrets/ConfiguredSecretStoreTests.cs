using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Secrets;

namespace Mizzen.Orchestration.Tests.Secrets;

/// <summary>The three sources (configuration, environment, a folder of files), their order, and names that cannot escape the folder.</summary>
public sealed class ConfiguredSecretStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-secrets-").FullName;
    private readonly string variable = "MIZZEN_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "_";

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(variable + "FROM_ENV", null);
        Directory.Delete(folder, recursive: true);
    }

    private ConfiguredSecretStore Store(Dictionary<string, string?>? values = null) => new(
        new ConfigurationBuilder().AddInMemoryCollection(values ?? []).Build(),
        Options.Create(new SecretStoreOptions { Directory = folder, EnvironmentPrefix = variable, AllowedInPipelines = ["from-file"] }));

    [Fact]
    public void Secrets_come_from_configuration_then_the_environment_then_files()
    {
        Environment.SetEnvironmentVariable(variable + "FROM_ENV", "env-value");
        File.WriteAllText(Path.Combine(folder, "from-file"), "file-value\n");
        File.WriteAllText(Path.Combine(folder, "from-config"), "loses-to-configuration");
        var store = Store(new() { ["Mizzen:Secrets:from-config"] = "config-value" });

        store.TryGet("from-config", out var a).ShouldBeTrue();
        a.ShouldBe("config-value");
        store.TryGet("from-env", out var b).ShouldBeTrue();
        b.ShouldBe("env-value");
        store.TryGet("from-file", out var c).ShouldBeTrue();
        c.ShouldBe("file-value");
        store.TryGet("nowhere", out _).ShouldBeFalse();
        store.IsAllowedInPipelines("from-file").ShouldBeTrue();
        store.IsAllowedInPipelines("from-env").ShouldBeFalse();
    }

    [Fact]
    public void A_rotated_file_is_read_on_the_next_use()
    {
        var store = Store();
        File.WriteAllText(Path.Combine(folder, "rotating"), "first");
        store.TryGet("rotating", out var first).ShouldBeTrue();

        File.WriteAllText(Path.Combine(folder, "rotating"), "second");

        store.TryGet("rotating", out var second).ShouldBeTrue();
        (first, second).ShouldBe(("first", "second"));
    }

    [Fact]
    public void A_name_that_would_leave_the_folder_is_no_secret()
    {
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(folder)!, "outside-" + Path.GetFileName(folder)), "x");
        var store = Store();

        store.TryGet("../outside-" + Path.GetFileName(folder), out _).ShouldBeFalse();
        store.TryGet(".hidden", out _).ShouldBeFalse();
        File.Delete(Path.Combine(Path.GetDirectoryName(folder)!, "outside-" + Path.GetFileName(folder)));
    }

    [Fact]
    public void A_missing_secret_names_where_it_was_looked_for()
    {
        var error = SecretNotFoundException.Missing("teletraan-token", Store());

        error.Message.ShouldBe($"secret 'teletraan-token' is not defined (looked for Mizzen:Secrets:teletraan-token, the environment variable {variable}TELETRAAN_TOKEN, the file {Path.Combine(folder, "teletraan-token")})");
    }
}
