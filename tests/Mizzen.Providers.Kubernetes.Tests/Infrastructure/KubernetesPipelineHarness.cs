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

namespace Mizzen.Providers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The real engine on a SQLite file with the core, server-group and Kubernetes stages, a Kubernetes account (<c>fake</c> unless
/// named, default namespace <c>default</c>) on a <see cref="FakeKubernetesApiServer"/>, and a test clock for the engine (task
/// backoffs and timeouts). <see cref="RunAsync"/> handles messages until the run ends: when none is due it lets the fake's
/// controller and the cache's watch catch up (they run on real time), then moves the clock to the next delivery (stability and
/// job waits poll every few seconds of test time). The one harness for every engine test of the provider: stage tests and
/// operation tests alike.
/// </summary>
public sealed class KubernetesPipelineHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly TestStore store;
    private readonly string application;

    private KubernetesPipelineHarness(FakeKubernetesApiServer server, TestStore store, string folder, string accountName, string application, Action<IServiceCollection>? configure)
    {
        Server = server;
        this.store = store;
        this.application = application;
        Folder = folder;
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton<TimeProvider>(Clock);
        store.AddTo(collection);
        collection.AddMizzenExpressions();
        collection.AddMizzenEngine(startWorker: false);
        collection.AddCoreStages();
        collection.AddServerGroupStages();
        var kubeconfig = server.WriteKubeconfig(folder);
        collection.AddKubernetesProvider(o => o.Accounts[accountName] = new KubernetesAccountOptions { KubeconfigFile = kubeconfig, Context = "fake", DefaultNamespace = "default" });
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider();
    }

    public FakeKubernetesApiServer Server { get; }

    public FakeTimeProvider Clock { get; } = TestTime.Clock();

    public string Folder { get; }

    public IServiceProvider Services => services;

    public KubernetesAccount Account => services.GetRequiredService<KubernetesAccounts>().All.Single();

    /// <param name="configure">More services (a bake renderer's options, a stage of the test's own).</param>
    /// <param name="accountName">The Kubernetes account's name (<c>fake</c>; a compat pipeline's own account name to run it unchanged).</param>
    /// <param name="application">The application of pipelines that name none.</param>
    public static async Task<KubernetesPipelineHarness> StartAsync(Action<IServiceCollection>? configure = null, string accountName = "fake", string application = "shop")
    {
        var server = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesOptions { Namespaces = ["default", "prod", "kube-system"], RequiredToken = FakeCluster.Token });
        var folder = Directory.CreateTempSubdirectory("mizzen-k8s-engine-").FullName;
        return new KubernetesPipelineHarness(server, await TestStore.CreateAsync(StoreBackend.Sqlite, "mizzen-k8s"), folder, accountName, application, configure);
    }

    /// <summary>Seeds objects as if deployed earlier, and waits until the fake's controller has rolled them out.</summary>
    public async Task SeedAsync(params JsonObject[] objects)
    {
        foreach (var obj in objects)
        {
            Server.Put(obj);
        }

        await Server.Controller.SettleAsync();
    }

    /// <summary>Starts the pipeline (the harness's application unless it names one) and runs it to the end.</summary>
    public async Task<PipelineExecution> RunAsync(string pipelineJson, JsonObject? trigger = null, TimeSpan? realTimeout = null)
    {
        var config = PipelineConfig.Parse(pipelineJson);
        config.Json["application"] ??= application;
        config.Json["name"] ??= "pipeline-" + Guid.NewGuid().ToString("N")[..8];
        await services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "tester", CancellationToken.None);
        var execution = await services.GetRequiredService<IExecutionRunner>().StartAsync(config, trigger ?? [], "tester", CancellationToken.None);
        return await RunUntilDoneAsync(execution.Id, realTimeout ?? TimeSpan.FromSeconds(90));
    }

    public async Task<PipelineExecution> GetAsync(string id) =>
        await services.GetRequiredService<IExecutionStore>().GetAsync(id, CancellationToken.None)
        ?? throw new InvalidOperationException($"execution {id} is gone");

    public static StageExecution Stage(PipelineExecution execution, string name) => execution.Stages.First(s => s.Name == name);

    public static string Errors(StageExecution stage) =>
        string.Join("; ", (stage.Context["exception"]?["details"]?["errors"] as JsonArray ?? []).Select(e => e?.ToString()));

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        store.Delete();
        Directory.Delete(Folder, recursive: true);
    }

    private async Task<PipelineExecution> RunUntilDoneAsync(string id, TimeSpan timeout)
    {
        var queue = services.GetRequiredService<IMessageQueue>();
        var processor = services.GetRequiredService<MessageProcessor>();
        var executions = services.GetRequiredService<IExecutionStore>();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var batch = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
            foreach (var message in batch)
            {
                await processor.ProcessAsync(message, CancellationToken.None);
            }

            if (await executions.GetAsync(id, CancellationToken.None) is { } execution && execution.Status.IsComplete())
            {
                return execution;
            }

            if (batch.Count == 0)
            {
                await Server.Controller.SettleAsync();
#pragma warning disable RS0030 // The cache's watch delivers on real time: let it catch up before the test clock moves on.
                await Task.Delay(20);
#pragma warning restore RS0030
                var next = await queue.NextDeliveryAsync(CancellationToken.None) is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : Clock.GetUtcNow() + TimeSpan.FromSeconds(1);
                if (next > Clock.GetUtcNow())
                {
                    Clock.SetUtcNow(next);
                }
            }
        }

        var stuck = await executions.GetAsync(id, CancellationToken.None);
        throw new TimeoutException($"execution {id} did not finish within {timeout}: {string.Join("; ", stuck?.Stages.Select(s => $"{s.Name}={s.Status.ToWireName()}") ?? [])}");
    }
}
