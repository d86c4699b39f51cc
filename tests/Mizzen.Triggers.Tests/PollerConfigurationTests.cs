using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mizzen.Triggers.Docker;
using Mizzen.Triggers.Jenkins;

namespace Mizzen.Triggers.Tests;

/// <summary>The pollers' settings come from the host's configuration (mizzen.json, MIZZEN_ environment variables) under Mizzen:Triggers.</summary>
public sealed class PollerConfigurationTests
{
    [Fact]
    public void Docker_accounts_and_jenkins_masters_are_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mizzen:Triggers:Docker:PollInterval"] = "00:02:00",
            ["Mizzen:Triggers:Docker:Accounts:0:Name"] = "hub",
            ["Mizzen:Triggers:Docker:Accounts:0:Address"] = "https://registry.example.com:5000",
            ["Mizzen:Triggers:Docker:Accounts:0:PasswordFile"] = "/run/secrets/registry",
            ["Mizzen:Triggers:Docker:Accounts:0:Repositories:0"] = "team/app",
            ["Mizzen:Triggers:Jenkins:Masters:0:Name"] = "ci",
            ["Mizzen:Triggers:Jenkins:Masters:0:Address"] = "https://ci.example.com/jenkins",
            ["Mizzen:Triggers:Jenkins:Masters:0:PollInterval"] = "00:00:30",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddTriggerValidation().BuildServiceProvider();

        var docker = services.GetRequiredService<IOptions<DockerTriggerOptions>>().Value;
        docker.PollInterval.ShouldBe(TimeSpan.FromMinutes(2));
        var account = docker.Accounts.ShouldHaveSingleItem();
        account.RegistryHost.ShouldBe("registry.example.com:5000");
        account.PasswordFile.ShouldBe("/run/secrets/registry");
        account.Repositories.ShouldBe(["team/app"]);
        var master = services.GetRequiredService<IOptions<JenkinsTriggerOptions>>().Value.Masters.ShouldHaveSingleItem();
        master.Name.ShouldBe("ci");
        master.PollInterval.ShouldBe(TimeSpan.FromSeconds(30));
    }
}
