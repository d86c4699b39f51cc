using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.CreateServerGroup;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.Deploy;

/// <summary>
/// Gathers the outputs of the deploy's createServerGroup stages: <c>deploy.server.groups</c> (merged per account),
/// <c>deploy.account.name</c> (the last), <c>deploymentDetails</c> and <c>artifacts</c> (concatenated).
/// </summary>
public sealed class CompleteParallelDeployTask : ITask
{
    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var groups = new JsonObject();
        var details = new JsonArray();
        var artifacts = new JsonArray();
        string? account = null;
        foreach (var child in context.Execution.Children(context.Stage, SyntheticStageOwner.StageBefore).Where(s => s.Type == CreateServerGroupStage.StageType))
        {
            if (child.Outputs[ServerGroupContextKeys.ServerGroups] is JsonObject deployed)
            {
                foreach (var (acct, names) in deployed)
                {
                    var list = groups[acct] as JsonArray ?? [];
                    groups[acct] = list;
                    foreach (var name in names as JsonArray ?? [])
                    {
                        list.Add(name?.DeepClone());
                    }

                    account = acct;
                }
            }

            Append(details, child.Outputs[ServerGroupContextKeys.DeploymentDetails]);
            Append(artifacts, child.Outputs[ServerGroupContextKeys.Artifacts]);
        }

        var outputs = new JsonObject
        {
            [ServerGroupContextKeys.ServerGroups] = groups,
            [ServerGroupContextKeys.DeploymentDetails] = details,
            [ServerGroupContextKeys.Artifacts] = artifacts,
        };
        if (account is not null)
        {
            outputs[ServerGroupContextKeys.AccountName] = account;
        }

        return Task.FromResult(TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs));
    }

    private static void Append(JsonArray target, JsonNode? items)
    {
        foreach (var item in items as JsonArray ?? [])
        {
            target.Add(item?.DeepClone());
        }
    }
}
