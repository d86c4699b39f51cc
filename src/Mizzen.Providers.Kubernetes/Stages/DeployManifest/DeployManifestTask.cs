using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// Deploys the stage's manifests (<see cref="ManifestDeployer"/>) and records what Orca records: context
/// <c>outputs.manifestNamesByNamespace</c> (what the wait task follows) and <c>deploy.account.name</c>; outputs
/// <c>outputs.manifestNamesByNamespace</c>, <c>outputs.manifests</c>, <c>outputs.boundArtifacts</c>, <c>outputs.createdArtifacts</c>,
/// <c>artifacts</c> (the created ones, for downstream stages) and, for the stage's own <c>expectedArtifacts</c>,
/// <c>resolvedExpectedArtifacts</c> so a later stage's <c>requiredArtifactIds</c> bind to what this stage created. Running it twice
/// (a redelivered message) applies the same manifests again: versions are reused, nothing is created twice.
/// </summary>
public sealed class DeployManifestTask(KubernetesAccounts accounts, ManifestSource source, ILogger<DeployManifestTask> logger) : ITask
{
    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(5);

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(10);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var account = ManifestStageContext.Account(context, accounts);
            var manifests = await source.ResolveAsync(context, cancellationToken);
            var result = await ManifestDeployer.DeployAsync(account, Request(context, manifests), cancellationToken);
            foreach (var manifest in result.Manifests)
            {
                KubernetesLog.ManifestDeployed(logger, account.Name, new KubernetesManifest(manifest).ToString(), context.Execution.Id, context.Stage.Id);
            }

            return TaskResult.Succeeded(
                new JsonObject
                {
                    [ManifestStageContext.ManifestNamesByNamespaceKey] = ManifestStageContext.NamesByNamespace(result.Names),
                    ["deploy.account.name"] = account.Name,
                },
                Outputs(context, result));
        }
        catch (MizzenException e) when (e.IsTransient)
        {
            // the API server was unreachable or overloaded: try again after the backoff (applying again changes nothing twice)
            return TaskResult.Running(new JsonObject { ["lastError"] = e.Message });
        }
        catch (MizzenException e) when (e.Kind is ErrorKind.Invalid or ErrorKind.NotFound or ErrorKind.Conflict or ErrorKind.Upstream && !e.IsTransient)
        {
            return TaskResult.Terminal($"Stage '{context.Stage.Name}': {e.Message}");
        }
    }

    private static DeployManifestRequest Request(TaskContext context, IReadOnlyList<JsonObject> manifests)
    {
        var traffic = context.Context["trafficManagement"] as JsonObject;
        var trafficEnabled = traffic?["enabled"].AsBool() == true;
        var options = traffic?["options"] as JsonObject;
        var moniker = context.Context["moniker"] as JsonObject;
        return new DeployManifestRequest
        {
            Manifests = manifests,
            Moniker = new KubernetesMoniker(
                ManifestStageContext.Application(context),
                moniker?["cluster"].AsString() ?? "",
                moniker?["stack"].AsString(),
                moniker?["detail"].AsString()),
            NamespaceOverride = ManifestStageContext.NonEmpty(context.Context["namespaceOverride"].AsString()),
            Versioned = context.Context["versioned"].AsBool(),
            RequiredArtifacts = RequiredArtifacts(context),
            OptionalArtifacts = ExecutionArtifacts.Of(context.Execution),
            Services = trafficEnabled ? [.. (options?["services"] as JsonArray ?? []).Select(s => s.AsString()).OfType<string>()] : [],
            EnableTraffic = !trafficEnabled || options?["enableTraffic"].AsBool() != false,
            Strategy = trafficEnabled ? (options?["strategy"].AsString() ?? "none").ToLowerInvariant() : "none",
        };
    }

    /// <summary><c>requiredArtifactIds</c> (each bound upstream or by the trigger) and <c>requiredArtifacts</c> (<c>{id}</c> or <c>{artifact}</c>).</summary>
    private static List<JsonObject> RequiredArtifacts(TaskContext context)
    {
        var required = new List<JsonObject>();
        foreach (var id in (context.Context["requiredArtifactIds"] as JsonArray ?? []).Select(n => n.AsString()).OfType<string>())
        {
            required.Add(Bound(context, id, "requiredArtifactIds"));
        }

        foreach (var (entry, i) in (context.Context["requiredArtifacts"] as JsonArray ?? []).OfType<JsonObject>().Select((e, i) => (e, i)))
        {
            if (entry["artifact"] is JsonObject inline)
            {
                required.Add(inline);
            }
            else if (entry["id"].AsString() is { Length: > 0 } id)
            {
                required.Add(Bound(context, id, $"requiredArtifacts[{i}]"));
            }
        }

        return required;
    }

    private static JsonObject Bound(TaskContext context, string id, string field) =>
        StageArtifactBinding.BoundArtifactForId(context.Execution, context.Stage, id)
        ?? throw new ValidationException(field, $"expected artifact '{id}' is not bound: neither the trigger nor an upstream stage resolved it");

    private static JsonObject Outputs(TaskContext context, DeployManifestResult result)
    {
        var created = new JsonArray([.. result.CreatedArtifacts.Select(a => (JsonNode?)a.DeepClone())]);
        var outputs = new JsonObject
        {
            [ManifestStageContext.ManifestNamesByNamespaceKey] = ManifestStageContext.NamesByNamespace(result.Names),
            ["outputs.manifests"] = new JsonArray([.. result.Manifests.Select(m => (JsonNode?)m.DeepClone())]),
            ["outputs.boundArtifacts"] = new JsonArray([.. result.BoundArtifacts.Select(a => (JsonNode?)a.DeepClone())]),
            ["outputs.createdArtifacts"] = created,
            ["artifacts"] = created.DeepClone(),
        };
        var resolved = new JsonArray();
        foreach (var expected in (context.Context["expectedArtifacts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (expected["matchArtifact"] is JsonObject match && result.CreatedArtifacts.FirstOrDefault(a => ArtifactMatching.Matches(match, a)) is { } artifact)
            {
                var entry = (JsonObject)expected.DeepClone();
                entry["boundArtifact"] = artifact.DeepClone();
                resolved.Add(entry);
            }
        }

        if (resolved.Count > 0)
        {
            outputs[StageArtifactBinding.ResolvedExpectedArtifactsKey] = resolved;
        }

        return outputs;
    }
}
