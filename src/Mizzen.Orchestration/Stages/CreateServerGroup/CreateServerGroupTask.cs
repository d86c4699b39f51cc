using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CreateServerGroup;

/// <summary>
/// Deploys the new server group once (skipped when <c>deploy.server.groups</c> is already set). Rolling red/black starts it at
/// capacity 0 and disabled (the wanted capacity is kept as <c>savedCapacity</c>); <c>useSourceCapacity</c> copies the source's.
/// A bundle given as a file artifact (http/file, github/file, gitlab/file, embedded/base64) is fetched first (<see cref="FetchedBundles"/>).
/// Context and outputs: <c>deploy.server.groups</c>, <c>deploy.account.name</c>, <c>deploymentDetails</c>, <c>artifacts</c>.
/// </summary>
public sealed class CreateServerGroupTask(CloudProviderRegistry registry, FetchedBundles bundles, ILogger<CreateServerGroupTask> logger) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(10);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (ServerGroupContextKeys.FirstDeployed(context.Context) is not null)
        {
            return TaskResult.Succeeded();
        }

        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        if (ServerGroupSpecReader.Artifact(context) is not { } artifact)
        {
            return TaskResult.Terminal(
                $"Stage '{context.Stage.Name}' has nothing to deploy: give 'artifact' {{type, name, version, reference}}, 'bundle' (a path or URL), or run findImage upstream");
        }

        artifact = await bundles.DeployableAsync(artifact, cancellationToken); // an http/file, github/file ... bundle becomes a local file

        var wanted = Capacity.FromJson(context.Context["capacity"]) ?? Capacity.Exactly(1);
        if (context.Context["useSourceCapacity"].AsBoolOrFalse() && Capacity.FromJson(context.Context[DetermineSourceServerGroupTask.SourceKey]?["capacity"]) is { } sourceCapacity)
        {
            wanted = sourceCapacity;
        }

        var rolling = DeployStrategies.Of(context.Context) == DeployStrategies.RollingRedBlack;
        var spec = ServerGroupSpecReader.Read(context.Context, target.Application, target.Account, artifact, rolling ? new Capacity(0, wanted.Max, 0) : wanted, enabled: !rolling);
        var name = await target.ServerGroups.DeployAsync(spec, cancellationToken);
        ServerGroupStageLog.Operation(logger, context.Execution.Id, context.Stage.Id, "deployed", target.Account, name);

        var outputs = ServerGroupContextKeys.Deployed(target.Account, name);
        outputs[ServerGroupContextKeys.DeploymentDetails] = new JsonArray(new JsonObject
        {
            ["cloudProvider"] = target.Provider.Name,
            ["account"] = target.Account,
            ["serverGroup"] = name,
            ["imageId"] = artifact.Reference,
            ["imageName"] = artifact.Name ?? artifact.Reference,
            ["artifact"] = artifact.ToJson(),
            ["refId"] = context.Stage.RefId,
        });
        outputs[ServerGroupContextKeys.Artifacts] = new JsonArray(artifact.ToJson());
        var contextUpdate = (JsonObject)outputs.DeepClone();
        contextUpdate["savedCapacity"] = wanted.ToJson();
        return TaskResult.Succeeded(contextUpdate, outputs);
    }
}
