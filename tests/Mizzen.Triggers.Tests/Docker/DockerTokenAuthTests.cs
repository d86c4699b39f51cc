using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Docker;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Docker;

namespace Mizzen.Triggers.Tests.Docker;

/// <summary>
/// The docker poller against the real registry in its token mode (<c>WWW-Authenticate: Bearer realm=…,service=…,scope=…</c>), with
/// <see cref="FakeTokenService"/> as the realm: the poller gets a token with the account's credentials and reuses it until it expires.
/// The registry is restarted without auth for the test's own pushes.
/// </summary>
public sealed class DockerTokenAuthTests : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = TestTime.Clock();
    private DockerRegistryProcess registry = null!;
    private FakeTokenService tokens = null!;

    public async Task InitializeAsync()
    {
        registry = await DockerRegistryProcess.StartNewAsync();
        tokens = await FakeTokenService.StartAsync("ci", "token-pw");
    }

    public async Task DisposeAsync()
    {
        await registry.DisposeAsync();
        await tokens.DisposeAsync();
    }

    private async Task PushAsync(string tag, string content)
    {
        await registry.RestartWithAuthAsync(null);
        await registry.PushAsync("team/app", tag, content);
        await registry.RestartWithAuthAsync(tokens.RegistryAuthSection);
    }

    [Fact]
    public async Task A_bearer_challenge_is_answered_with_a_token_from_the_realm_reused_until_it_expires()
    {
        await PushAsync("v1", "one");
        await using var triggers = await TriggerServices.CreateAsync(StoreBackend.Sqlite, clock, "mizzen-docker-token", services =>
            services.Configure<DockerTriggerOptions>(o => o.Accounts.Add(new DockerRegistryAccount
            {
                Name = "hub", Address = registry.Address, Username = "ci", Password = "token-pw",
            })));
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"shop","name":"deploy","triggers":[{"type":"docker","enabled":true,"account":"hub","repository":"team/app"}],"stages":[]}
            """), "tester", CancellationToken.None);
        var monitor = triggers.Get<DockerMonitor>();

        var seeded = (await monitor.PollAsync(CancellationToken.None)).Single();
        seeded.Error.ShouldBeNull();
        seeded.Tags["v1"].ShouldStartWith("sha256:");
        tokens.Issued.ShouldBe(1);

        await PushAsync("v2", "two");
        (await monitor.PollAsync(CancellationToken.None)).Single().LastNewTags.ShouldBe(["v2"]);
        tokens.Issued.ShouldBe(1);
        (await triggers.Get<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop" }, CancellationToken.None)).ShouldHaveSingleItem();

        clock.Advance(TimeSpan.FromMinutes(6));
        (await monitor.PollAsync(CancellationToken.None)).Single().Error.ShouldBeNull();
        tokens.Issued.ShouldBe(2);
    }

    [Fact]
    public async Task A_token_service_that_refuses_the_credentials_is_shown_as_the_poll_error()
    {
        await PushAsync("v1", "one");
        await using var triggers = await TriggerServices.CreateAsync(StoreBackend.Sqlite, clock, "mizzen-docker-token", services =>
            services.Configure<DockerTriggerOptions>(o => o.Accounts.Add(new DockerRegistryAccount
            {
                Name = "hub", Address = registry.Address, Username = "ci", Password = "not-the-password",
            })));
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"shop","name":"deploy","triggers":[{"type":"docker","enabled":true,"account":"hub","repository":"team/app"}],"stages":[]}
            """), "tester", CancellationToken.None);

        var state = (await triggers.Get<DockerMonitor>().PollAsync(CancellationToken.None)).Single();

        state.Error.ShouldNotBeNull().ShouldContain("token service");
        state.Error.ShouldContain("401");
        state.Error.ShouldNotContain("not-the-password");
    }
}
