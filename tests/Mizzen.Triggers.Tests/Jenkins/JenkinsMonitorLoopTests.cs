using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Jenkins;

namespace Mizzen.Triggers.Tests.Jenkins;

/// <summary>The Jenkins poller as the server runs it (a hosted service holding the leader lock), its interval on the test clock.</summary>
public sealed class JenkinsMonitorLoopTests : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = TestTime.Clock();
    private FakeJenkins jenkins = null!;
    private TriggerServices triggers = null!;

    public async Task InitializeAsync()
    {
        jenkins = await FakeJenkins.StartAsync("ci-bot", "t0ken");
        triggers = await TriggerServices.CreateAsync(StoreBackend.Sqlite, clock, "mizzen-jenkins-loop", services =>
            services.Configure<JenkinsTriggerOptions>(o => o.Masters.Add(new JenkinsMaster
            {
                Name = "ci", Address = jenkins.Address, Username = "ci-bot", ApiToken = "t0ken", PollInterval = TimeSpan.FromSeconds(30),
            })));
    }

    public async Task DisposeAsync()
    {
        await triggers.DisposeAsync();
        await jenkins.DisposeAsync();
    }

    /// <summary>Waits for the background loop (real threads) to reach a state; the clock it runs on only moves when the test says.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"waited 30 s for {what}");
            }
        }
    }

    [Fact]
    public async Task The_hosted_poller_polls_at_once_then_at_each_interval_of_its_clock()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"shop","name":"deploy","triggers":[{"type":"jenkins","enabled":true,"master":"ci","job":"app-build"}],"stages":[]}
            """), "tester", CancellationToken.None);
        var monitor = triggers.Get<JenkinsMonitor>();
        var executions = triggers.Get<IExecutionStore>();

        await monitor.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(async () => (await monitor.StatusAsync(CancellationToken.None)).FirstOrDefault(s => s.Seeded), "the first poll");
            jenkins.AddBuild("app-build", "SUCCESS");
            (await executions.ListAsync(new ExecutionQuery { Application = "shop" }, CancellationToken.None)).ShouldBeEmpty();

            // Each look moves the clock by the interval: the loop may be polling (not yet waiting) when the clock first moves.
            var run = await WaitForAsync(async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(30));
                return (await executions.ListAsync(new ExecutionQuery { Application = "shop" }, CancellationToken.None)).FirstOrDefault();
            }, "the run of build #2");

            run.Trigger["buildNumber"]!.GetValue<long>().ShouldBe(2);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }
}
