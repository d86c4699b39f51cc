using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Validation;
using Mizzen.Persistence.Executions;
using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Demo;

/// <summary>
/// At first start, deploys <c>v1</c> to every demo cluster that has no server group yet, as one ad-hoc orchestration of <c>deploy</c>
/// stages (so it shows up in the executions like any other deploy). Nothing happens when the clusters exist or a first deploy is still running.
/// </summary>
internal sealed partial class DemoFirstDeploy(
    ILocalCloudProvider provider, PipelineValidator validator, IExecutionRunner runner, IExecutionStore executions, ILogger<DemoFirstDeploy> logger)
{
    public const string Description = "Demo first run: deploy v1 to staging and prod";

    /// <summary>Starts the first deploy when needed; returns a line for the welcome block that says where v1 stands.</summary>
    public async Task<string> StartAsync(DemoEnvironment environment, CancellationToken cancellationToken)
    {
        var clusters = await provider.ListClustersAsync(DemoEnvironment.Application, cancellationToken);
        var missing = new[] { (DemoEnvironment.Staging, DemoEnvironment.StagingLoadBalancer), (DemoEnvironment.Prod, DemoEnvironment.ProdLoadBalancer) }
            .Where(target => !clusters.Any(c => c.Account == target.Item1 && c.Name == $"{DemoEnvironment.Application}-{target.Item1}" && c.ServerGroups.Count > 0))
            .ToList();
        if (missing.Count == 0)
        {
            return "The demo's clusters are deployed (demo-staging, demo-prod).";
        }

        if (await AlreadyRunningAsync(cancellationToken))
        {
            return "v1 is still being deployed to staging and prod (`./mizzen execution list demo`).";
        }

        var stages = new JsonArray([.. missing.Select((target, i) => (JsonNode)DemoStages.Deploy(
            (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"Deploy v1 to {target.Item1}", target.Item1, target.Item2, "redblack",
            environment.BundlePath("v1"), "v1"))]);
        var problems = validator.Validate(new JsonObject { ["application"] = DemoEnvironment.Application, ["name"] = Description, ["stages"] = stages.DeepClone() });
        if (problems.Count > 0)
        {
            LogInvalid(string.Join("; ", problems));
            return "v1 could not be deployed: see the error above.";
        }

        var execution = await runner.StartOrchestrationAsync(DemoEnvironment.Application, Description, stages, DemoPipelineSaver.User, cancellationToken);
        LogStarted(execution.Id, string.Join(", ", missing.Select(m => m.Item1)));
        return $"v1 is being deployed to {string.Join(" and ", missing.Select(m => m.Item1))} (execution {execution.Id}); it answers in a few seconds.";
    }

    private async Task<bool> AlreadyRunningAsync(CancellationToken cancellationToken)
    {
        var active = await executions.ListAsync(new ExecutionQuery
        {
            Application = DemoEnvironment.Application,
            Type = ExecutionType.Orchestration,
            Statuses = [ExecutionStatus.NotStarted, ExecutionStatus.Running, ExecutionStatus.Paused],
            Limit = 50,
        }, cancellationToken);
        return active.Any(e => e.Description == Description || e.Name == Description);
    }

    [LoggerMessage(EventId = 8131, Level = LogLevel.Information, Message = "Demo: deploying v1 to {Accounts} (execution {ExecutionId})")]
    private partial void LogStarted(string executionId, string accounts);

    [LoggerMessage(EventId = 8132, Level = LogLevel.Error, Message = "Demo: cannot deploy v1: {Problems}")]
    private partial void LogInvalid(string problems);
}
