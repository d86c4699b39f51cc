using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Providers.Local.ServerGroups;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Pipelines;

/// <summary>
/// The real engine (SQLite in a temp folder, real time) with the server-group stages and the local provider (accounts staging and
/// prod). Messages are handled by hand: <see cref="RunAsync"/> polls the queue until the run ends or a deadline passes.
/// Dispose destroys every server group (no child process outlives a test) and deletes the folder.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private static int nextRange = Random.Shared.Next(0, 40);
    private readonly ServiceProvider services;

    private PipelineHarness(string folder, Action<IServiceCollection>? configure)
    {
        Folder = folder;
        var portBase = 42000 + (Interlocked.Increment(ref nextRange) % 40 * 200);
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        collection.AddSingleton(TimeProvider.System);
        collection.Configure<StorageOptions>(o => o.DataFolder = Path.Combine(folder, "data"));
        collection.AddSqliteStore();
        collection.AddMizzenExpressions();
        collection.AddMizzenEngine(startWorker: false);
        collection.AddCoreStages();
        collection.AddServerGroupStages();
        collection.AddLocalProvider(options =>
        {
            options.Accounts.Add(new Accounts.LocalAccountOptions { Name = "staging", WorkingFolder = Path.Combine(folder, "staging"), PortRange = $"{portBase}-{portBase + 99}" });
            options.Accounts.Add(new Accounts.LocalAccountOptions { Name = "prod", WorkingFolder = Path.Combine(folder, "prod"), PortRange = $"{portBase + 100}-{portBase + 199}" });
            options.StopGracePeriod = TimeSpan.FromSeconds(3);
            options.DrainTimeout = TimeSpan.FromSeconds(5);
            options.RestartBackoffInitial = TimeSpan.FromMilliseconds(200);
            options.RestartBackoffMax = TimeSpan.FromSeconds(1);
        });
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider();
    }

    public string Folder { get; }

    public IServerGroupOperations ServerGroups => services.GetRequiredService<CloudProviderRegistry>().Get("local").ServerGroups;

    public ILoadBalancerOperations LoadBalancers => services.GetRequiredService<CloudProviderRegistry>().Get("local").LoadBalancers;

    public IApplicationStore Applications => services.GetRequiredService<IApplicationStore>();

    public Api.ILocalMetrics Metrics => services.GetRequiredService<Api.ILocalMetrics>();

    /// <param name="configure">More services or options (e.g. artifact accounts) on top of the harness's.</param>
    public static async Task<PipelineHarness> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var harness = new PipelineHarness(Directory.CreateTempSubdirectory("mizzen-pipelines-").FullName, configure);
        await harness.services.GetRequiredService<LocalCloudProvider>().RestoreAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Starts the pipeline (application <c>demo</c>) and handles messages until it ends; returns the finished execution.</summary>
    public Task<PipelineExecution> RunAsync(string pipelineJson, TimeSpan? timeout = null) => RunAsync(pipelineJson, [], timeout);

    /// <summary>Starts the pipeline with <paramref name="trigger"/> (e.g. a manual trigger with artifacts) and handles messages until it ends.</summary>
    public async Task<PipelineExecution> RunAsync(string pipelineJson, JsonObject trigger, TimeSpan? timeout = null)
    {
        var config = PipelineConfig.Parse(pipelineJson);
        config.Json["application"] ??= "demo";
        config.Json["name"] ??= "pipeline-" + Guid.NewGuid().ToString("N")[..8];
        await services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "tester", CancellationToken.None);
        var execution = await services.GetRequiredService<IExecutionRunner>().StartAsync(config, trigger, "tester", CancellationToken.None);
        return await RunUntilDoneAsync(execution.Id, timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Saves a pipeline (application <c>demo</c> unless it says otherwise) without running it, e.g. a strategy or validation pipeline.</summary>
    public async Task SavePipelineAsync(string name, string pipelineJson)
    {
        var config = PipelineConfig.Parse(pipelineJson);
        config.Json["application"] ??= "demo";
        config.Json["name"] = name;
        await services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "tester", CancellationToken.None);
    }

    public async Task SaveTrafficGuardsAsync(string application, string guardsJson)
    {
        var app = new Application
        {
            Name = application,
            Extra = new Dictionary<string, JsonElement> { ["trafficGuards"] = JsonDocument.Parse(guardsJson).RootElement.Clone() },
        };
        await Applications.SaveAsync(app, CancellationToken.None);
    }

    private async Task<PipelineExecution> RunUntilDoneAsync(string id, TimeSpan timeout)
    {
        var queue = services.GetRequiredService<IMessageQueue>();
        var processor = services.GetRequiredService<MessageProcessor>();
        var store = services.GetRequiredService<IExecutionStore>();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var batch = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
            foreach (var message in batch)
            {
                await processor.ProcessAsync(message, CancellationToken.None);
            }

            var execution = await store.GetAsync(id, CancellationToken.None);
            if (execution is not null && execution.Status.IsComplete())
            {
                return execution;
            }

            if (batch.Count == 0)
            {
#pragma warning disable RS0030 // Poll interval while real instances and load balancers catch up (the loop waits for the execution to finish).
                await Task.Delay(50);
#pragma warning restore RS0030
            }
        }

        var stuck = await store.GetAsync(id, CancellationToken.None);
        var stages = stuck is null ? "" : string.Join("; ", stuck.Stages.Select(s => $"{s.Name}={s.Status.ToWireName()}"));
        throw new TimeoutException($"execution {id} did not finish within {timeout}: {stages}");
    }

    public static StageExecution Stage(PipelineExecution execution, string name) => execution.Stages.First(s => s.Name == name);

    public static string Errors(StageExecution stage) => stage.Context["exception"]?["details"]?["errors"]?.ToJsonString() ?? "";

    public async ValueTask DisposeAsync()
    {
        try
        {
            var provider = services.GetRequiredService<Api.ILocalCloudProvider>();
            foreach (var app in await provider.ListApplicationsAsync(CancellationToken.None))
            {
                foreach (var group in await provider.ListServerGroupsAsync(app, CancellationToken.None))
                {
                    await provider.DestroyServerGroupAsync(group.Account, group.Name, CancellationToken.None);
                }
            }

            await services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        finally
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A createServerGroup cluster of the demo service (JSON), with a fast health check.</summary>
    public static JsonObject Cluster(DemoServiceFixture demo, string account, string version, string strategy = "none", int desired = 1, string stack = "web") => new()
    {
        ["application"] = "demo",
        ["account"] = account,
        ["stack"] = stack,
        ["strategy"] = strategy,
        ["capacity"] = new JsonObject { ["min"] = desired, ["max"] = desired, ["desired"] = desired },
        ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "demo", ["version"] = version, ["reference"] = demo.BundleFolder },
        ["env"] = new JsonObject { ["VERSION"] = version },
        ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health", ["intervalSeconds"] = 0.2, ["timeoutSeconds"] = 1 },
    };

    public static string DeployPipeline(params JsonObject[] clusters) =>
        new JsonObject
        {
            ["stages"] = new JsonArray(new JsonObject
            {
                ["refId"] = "1",
                ["type"] = "deploy",
                ["name"] = "Deploy",
                ["clusters"] = new JsonArray(clusters.Select(c => (JsonNode)c).ToArray()),
            }),
        }.ToJsonString();
}
