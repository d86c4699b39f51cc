using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Testing;
using Mizzen.Testing.Kubernetes;
using Mizzen.Testing.Stores;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>
/// The real engine on a real SQLite store with the Kubernetes provider pointed at a <see cref="FakeKubernetesApiServer"/> (account
/// <c>k8s</c>, kubeconfig written by the fake). <see cref="RunAsync"/> drives a run to its end: it handles every due message, lets the
/// fake's controller settle, and moves the test clock to the next delivery (stability and job waits poll every few seconds of test time).
/// </summary>
internal sealed class OpsEngine : IAsyncDisposable
{
    public const string Account = "k8s";

    private readonly ServiceProvider services;
    private readonly TestStore store;

    private OpsEngine(TestStore store, FakeKubernetesApiServer fake, FakeTimeProvider clock, string kubeconfig, Action<IServiceCollection>? configure)
    {
        this.store = store;
        Fake = fake;
        Clock = clock;
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton<TimeProvider>(clock);
        store.AddTo(collection);
        collection.AddMizzenExpressions();
        collection.AddMizzenEngine(startWorker: false);
        collection.AddCoreStages();
        collection.AddServerGroupStages();
        collection.AddKubernetesProvider(o => o.Accounts[Account] = new KubernetesAccountOptions { KubeconfigFile = kubeconfig, DefaultNamespace = "default" });
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider();
    }

    public FakeKubernetesApiServer Fake { get; }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => services;

    public static async Task<OpsEngine> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var store = await TestStore.CreateAsync(StoreBackend.Sqlite, "mizzen-k8sops");
        var fake = await FakeKubernetesApiServer.StartAsync();
        var kubeconfig = fake.WriteKubeconfig(store.Folder, token: "ops-test-token");
        return new OpsEngine(store, fake, TestTime.Clock(), kubeconfig, configure);
    }

    /// <summary>Seeds objects as if deployed earlier, and waits until the fake's controller has rolled them out.</summary>
    public async Task SeedAsync(params JsonObject[] objects)
    {
        foreach (var obj in objects)
        {
            Fake.Put(obj);
        }

        await Fake.Controller.SettleAsync();
    }

    /// <summary>Starts the pipeline and drives it until it is no longer running (or <paramref name="maxSteps"/> clock moves).</summary>
    public async Task<PipelineExecution> RunAsync(string pipelineJson, JsonObject? trigger = null, int maxSteps = 400)
    {
        var config = PipelineConfig.Parse(pipelineJson);
        config.Json["application"] ??= "app";
        config.Json["name"] ??= "pipeline";
        await services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "tester", CancellationToken.None);
        var execution = await services.GetRequiredService<IExecutionRunner>().StartAsync(config, trigger ?? [], "tester", CancellationToken.None);
        return await DriveAsync(execution.Id, maxSteps);
    }

    public async Task<PipelineExecution> DriveAsync(string executionId, int maxSteps = 400)
    {
        var queue = services.GetRequiredService<IMessageQueue>();
        for (var step = 0; step < maxSteps; step++)
        {
            await RunUntilIdleAsync();
            var execution = await GetAsync(executionId);
            if (execution.Status.IsComplete())
            {
                return execution;
            }

            await Fake.Controller.SettleAsync();
#pragma warning disable RS0030 // The account's watch cache follows the fake over real HTTP: give it a moment before test time moves on.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
#pragma warning restore RS0030
            var next = await queue.NextDeliveryAsync(CancellationToken.None) is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : Clock.GetUtcNow() + TimeSpan.FromSeconds(1);
            Clock.Advance(next > Clock.GetUtcNow() ? next - Clock.GetUtcNow() : TimeSpan.FromSeconds(1));
        }

        return await GetAsync(executionId);
    }

    public async Task<PipelineExecution> GetAsync(string id) =>
        await services.GetRequiredService<IExecutionStore>().GetAsync(id, CancellationToken.None)
        ?? throw new InvalidOperationException($"execution {id} is gone");

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Fake.DisposeAsync();
        store.Delete();
    }

    private async Task RunUntilIdleAsync()
    {
        var queue = services.GetRequiredService<IMessageQueue>();
        var processor = services.GetRequiredService<MessageProcessor>();
        for (var handled = 0; handled < 10_000; handled++)
        {
            var batch = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var message in batch)
            {
                await processor.ProcessAsync(message, CancellationToken.None);
            }
        }
    }
}
