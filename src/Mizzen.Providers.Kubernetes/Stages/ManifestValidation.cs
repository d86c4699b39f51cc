using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages;

/// <summary>
/// Config checks the manifest stages share; messages name the field (<c>stages[2].manifests[1].kind</c>). Fields a stage does not know
/// are warnings, not errors: Deck saves fields of other stage types in a stage's JSON (<c>kinds</c>, <c>labelSelectors</c> on a deploy),
/// and a pipeline exported from Spinnaker must still load.
/// </summary>
public static class ManifestValidation
{
    /// <summary>Fields every stage may carry (the engine's, Deck's and the cloud seam's).</summary>
    public static readonly IReadOnlySet<string> CommonFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "name", "refId", "requisiteStageRefIds", "stageEnabled", "failPipeline", "continuePipeline", "completeOtherBranchesThenFail",
        "failOnFailedExpressions", "notifications", "sendNotifications", "comments", "stageTimeoutMs", "overrideTimeout",
        "restrictExecutionDuringTimeWindow", "restrictedExecutionWindow", "skipWindowText", "isNew", "alias", "group", "expectedArtifacts",
        "cloudProvider", "cloudProviderType", "provider", "account", "credentials", "application", "app", "moniker", "relationships", "backoffPeriodMs",
        "requiredArtifactIds", "requiredArtifacts", "location", "namespace", "manifestArtifactAccount", "options",
    };

    private static readonly IReadOnlySet<string> BuiltInGroups = new HashSet<string>(StringComparer.Ordinal)
    {
        "", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
        "apiextensions.k8s.io", "admissionregistration.k8s.io", "apiregistration.k8s.io",
    };

    public static IEnumerable<ValidationProblem> Account(JsonObject config, string path, string stageType)
    {
        if (CloudStageContext.Account(config) is null)
        {
            yield return new ValidationProblem($"{path}.account", $"required for a '{stageType}' stage: the Kubernetes account to use");
        }
    }

    /// <summary>Warnings for fields neither <see cref="CommonFields"/> nor <paramref name="known"/>.</summary>
    public static IEnumerable<ValidationProblem> UnknownFields(JsonObject config, string path, string stageType, IReadOnlySet<string> known) =>
        config.Where(p => !CommonFields.Contains(p.Key) && !known.Contains(p.Key))
            .Select(p => ValidationProblem.Warning($"{path}.{p.Key}", $"not a field of a '{stageType}' stage: it is ignored"));

    /// <summary>One manifest: an object with apiVersion, kind and a name, and a kind that its API group serves.</summary>
    public static IEnumerable<ValidationProblem> Manifest(JsonNode? node, string at)
    {
        if (node is not JsonObject manifest)
        {
            yield return new ValidationProblem(at, "must be a Kubernetes object (a map with apiVersion, kind and metadata)");
            yield break;
        }

        var apiVersion = manifest["apiVersion"];
        var kind = manifest["kind"];
        if (IsMissing(apiVersion))
        {
            yield return new ValidationProblem($"{at}.apiVersion", "required: e.g. 'apps/v1' or 'v1'");
        }

        if (IsMissing(kind))
        {
            yield return new ValidationProblem($"{at}.kind", "required: e.g. 'Deployment', 'Service', 'ConfigMap'");
        }
        else if (kind is not JsonValue k || k.GetValueKind() != JsonValueKind.String)
        {
            yield return new ValidationProblem($"{at}.kind", "must be a string");
        }
        else if (!IsExpression(kind) && !IsExpression(apiVersion) && apiVersion.AsString() is { } version)
        {
            foreach (var problem in KindProblems(version, kind.AsString()!, at))
            {
                yield return problem;
            }
        }

        if (IsMissing(manifest["metadata"]?["name"]) && IsMissing(manifest["metadata"]?["generateName"]) && manifest["items"] is null)
        {
            yield return new ValidationProblem($"{at}.metadata.name", "required: every manifest needs a name (or generateName)");
        }
    }

    public static bool IsMissing(JsonNode? node) =>
        node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>()));

    public static bool IsExpression(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains("${", StringComparison.Ordinal);

    private static IEnumerable<ValidationProblem> KindProblems(string apiVersion, string kind, string at)
    {
        var (group, _) = KubernetesKinds.SplitApiVersion(apiVersion);
        var known = KubernetesKinds.Find(kind);
        if (known is not null && !string.Equals(known.Kind, kind, StringComparison.Ordinal) && !string.Equals(known.Plural, kind, StringComparison.Ordinal))
        {
            yield return new ValidationProblem($"{at}.kind", $"kinds are case-sensitive: '{kind}' should be '{known.Kind}'");
        }
        else if (known is not null && known.Kind == kind && !string.Equals(known.Group, group, StringComparison.Ordinal) && BuiltInGroups.Contains(group))
        {
            yield return new ValidationProblem($"{at}.apiVersion", $"{kind} is served by '{known.ApiVersion}', not '{apiVersion}'");
        }
        else if (known is null && BuiltInGroups.Contains(group) && !kind.EndsWith("List", StringComparison.Ordinal))
        {
            yield return ValidationProblem.Warning($"{at}.kind", $"'{kind}' is not a kind Mizzen knows in '{apiVersion}': it is deployed with the rules of a custom resource (always stable)");
        }
    }
}
