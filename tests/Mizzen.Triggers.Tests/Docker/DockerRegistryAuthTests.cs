using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Docker;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Docker;

namespace Mizzen.Triggers.Tests.Docker;

/// <summary>The docker poller against a real registry behind htpasswd basic auth: the account's password works, a wrong one is shown, never logged.</summary>
public sealed class DockerRegistryAuthTests : IAsyncLifetime
{
    private const string Password = "pw-9f3c-never-logged";
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = TestTime.Clock();
    private readonly CapturedLogs logs = new();
    private DockerRegistryProcess registry = null!;

    public async Task InitializeAsync() => registry = await DockerRegistryProcess.StartNewAsync("ci", Password);

    public async Task DisposeAsync() => await registry.DisposeAsync();

    private async Task<TriggerServices> ServicesAsync(string? password = null, string? passwordFile = null)
    {
        var triggers = await TriggerServices.CreateAsync(StoreBackend.Sqlite, clock, "mizzen-docker-auth", services =>
        {
            services.AddLogging(b => b.AddProvider(logs));
            services.Configure<DockerTriggerOptions>(o => o.Accounts.Add(new DockerRegistryAccount
            {
                Name = "private", Address = registry.Address, Username = "ci", Password = password, PasswordFile = passwordFile,
            }));
        });
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"shop","name":"deploy",
             "triggers":[{"type":"docker","enabled":true,"account":"private","repository":"team/app"}],"stages":[]}
            """), "tester", CancellationToken.None);
        return triggers;
    }

    [Fact]
    public async Task The_account_password_from_a_file_opens_a_registry_with_basic_auth()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mizzen-registry-pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, Password + "\n");
        try
        {
            await using var triggers = await ServicesAsync(passwordFile: file);
            await registry.PushAsync("team/app", "v1", "one");
            await triggers.Get<DockerMonitor>().PollAsync(CancellationToken.None);
            await registry.PushAsync("team/app", "v2", "two");

            var state = (await triggers.Get<DockerMonitor>().PollAsync(CancellationToken.None)).Single();

            state.Error.ShouldBeNull();
            state.LastNewTags.ShouldBe(["v2"]);
            (await triggers.Get<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop" }, CancellationToken.None)).ShouldHaveSingleItem();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_wrong_password_is_shown_as_an_authentication_failure_and_no_password_is_logged()
    {
        await using var triggers = await ServicesAsync(password: "wrong-" + Password);

        var state = (await triggers.Get<DockerMonitor>().PollAsync(CancellationToken.None)).Single();

        state.Seeded.ShouldBeFalse();
        state.Error.ShouldNotBeNull().ShouldContain("401");
        state.Error.ShouldContain("username and password");
        var status = await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        status!.Reason.ShouldNotBeNull().ShouldContain("401");
        logs.Lines.ShouldContain(l => l.Contains("401", StringComparison.Ordinal));
        logs.Lines.ShouldAllBe(l => !l.Contains(Password, StringComparison.Ordinal));
        status.Reason.ShouldNotContain(Password);
    }
}
