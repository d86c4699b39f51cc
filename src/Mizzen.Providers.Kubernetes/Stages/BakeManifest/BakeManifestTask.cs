using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Stages.FindArtifactFromExecution;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Bake;

namespace Mizzen.Providers.Kubernetes.Stages.BakeManifest;

/// <summary>
/// Fetches the input artifacts, renders them (kustomize through kubectl, or helm when configured), and outputs the manifests as one
/// <c>embedded/base64</c> artifact in <c>artifacts</c> and bound to each of the stage's <c>expectedArtifacts</c> that it matches
/// (<c>resolvedExpectedArtifacts</c>), which is how a later deployManifest's <c>manifestArtifactId</c> finds it.
/// </summary>
public sealed class BakeManifestTask(IArtifactFetcher fetcher, KustomizeRenderer kustomize, HelmRenderer helm) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(10);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var renderer = context.Context["templateRenderer"].AsString()?.ToUpperInvariant() ?? "";
        try
        {
            var inputs = BakeInputs.Resolve(context);
            if (inputs.Count == 0)
            {
                return TaskResult.Terminal($"Stage '{context.Stage.Name}' has no inputArtifact to render");
            }

            var rendered = renderer switch
            {
                "KUSTOMIZE" or "KUSTOMIZE4" => await KustomizeAsync(context, inputs, cancellationToken),
                "HELM2" or "HELM3" => helm.IsAvailable
                    ? await HelmAsync(context, inputs, cancellationToken)
                    : throw new ValidationException("templateRenderer", HelmRenderer.NotAvailableMessage(renderer)),
                _ => throw new ValidationException("templateRenderer", $"'{renderer}' is not a template renderer: KUSTOMIZE, KUSTOMIZE4, HELM2 or HELM3"),
            };
            return Bind(context, rendered);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"bakeManifest ({renderer}): {e.Message}");
        }
    }

    private async Task<string> KustomizeAsync(TaskContext context, IReadOnlyList<JsonObject> inputs, CancellationToken cancellationToken)
    {
        using var folder = await fetcher.CheckoutAsync(inputs[0], cancellationToken);
        return await kustomize.RenderAsync(folder.Path, context.Context["kustomizeFilePath"].AsString(), cancellationToken);
    }

    private async Task<string> HelmAsync(TaskContext context, IReadOnlyList<JsonObject> inputs, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("mizzen-helm-");
        ArtifactFolder? checkout = null;
        try
        {
            string chart;
            if (inputs[0]["type"].AsString() is ArtifactTypes.GitRepo or ArtifactTypes.LocalBundle)
            {
                checkout = await fetcher.CheckoutAsync(inputs[0], cancellationToken);
                chart = KustomizeRenderer.Directory(checkout.Path, context.Context["helmChartFilePath"].AsString(), "helmChartFilePath");
            }
            else
            {
                chart = Path.Combine(scratch.FullName, "chart.tgz");
                await File.WriteAllBytesAsync(chart, (await fetcher.FetchAsync(inputs[0], cancellationToken)).Content, cancellationToken);
            }

            var values = new List<string>();
            foreach (var (artifact, index) in inputs.Skip(1).Select((a, i) => (a, i)))
            {
                var file = Path.Combine(scratch.FullName, $"values-{index}.yaml");
                await File.WriteAllBytesAsync(file, (await fetcher.FetchAsync(artifact, cancellationToken)).Content, cancellationToken);
                values.Add(file);
            }

            var overrides = (context.Context["overrides"] as JsonObject ?? [])
                .Where(p => p.Value is not null)
                .ToDictionary(p => p.Key, p => p.Value.AsString() ?? p.Value!.ToJsonString(), StringComparer.Ordinal);
            return await helm.RenderAsync(
                new HelmRequest(OutputName(context.Context), chart, context.Context["namespace"].AsString())
                {
                    ValuesFiles = values,
                    Overrides = overrides,
                    RawOverrides = context.Context["rawOverrides"].AsBool() == true,
                    IncludeCrds = context.Context["includeCRDs"].AsBool() == true,
                    ApiVersions = context.Context["apiVersions"].AsString(),
                    KubeVersion = context.Context["kubeVersion"].AsString(),
                },
                cancellationToken);
        }
        finally
        {
            checkout?.Dispose();
            scratch.Delete(recursive: true);
        }
    }

    private static TaskResult Bind(TaskContext context, string rendered)
    {
        var artifact = new JsonObject
        {
            ["type"] = ArtifactTypes.EmbeddedBase64,
            ["name"] = OutputName(context.Context),
            ["reference"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(rendered)),
        };
        var (expected, _) = FindArtifactFromExecutionTask.ExpectedArtifacts(context.Context);
        var resolved = new JsonArray();
        foreach (var node in expected.OfType<JsonObject>())
        {
            var match = node["matchArtifact"] as JsonObject ?? [];
            var bound = ArtifactMatching.Matches(match, artifact) ? artifact
                : node["useDefaultArtifact"].AsBool() == true ? node["defaultArtifact"] as JsonObject : null;
            if (bound is null)
            {
                return TaskResult.Terminal(
                    $"The baked manifest ({ArtifactTypes.EmbeddedBase64} '{artifact["name"].AsString()}') does not match expected artifact '{node["displayName"].AsString() ?? node["id"].AsString()}': set outputName to its matchArtifact name");
            }

            var entry = (JsonObject)node.DeepClone();
            entry["boundArtifact"] = bound.DeepClone();
            resolved.Add(entry);
        }

        var outputs = new JsonObject
        {
            ["artifacts"] = new JsonArray(artifact),
            [StageArtifactBinding.ResolvedExpectedArtifactsKey] = resolved,
        };
        return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
    }

    /// <summary><c>outputName</c>, else the first expected artifact's <c>matchArtifact.name</c>, else <c>manifest</c>.</summary>
    private static string OutputName(JsonObject context) =>
        context["outputName"].AsString() is { Length: > 0 } name ? name
        : (FindArtifactFromExecutionTask.ExpectedArtifacts(context).Artifacts.OfType<JsonObject>().FirstOrDefault()?["matchArtifact"]?["name"].AsString() is { Length: > 0 } expected
            ? expected
            : "manifest");
}
