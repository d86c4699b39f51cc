using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Validation;

/// <summary>
/// A pipeline that only points at a managed pipeline template has no stages of its own until Spinnaker renders the
/// template: v2 (<c>schema: "v2"</c> with <c>template</c>) or v1 (<c>type: templatedPipeline</c> or
/// <c>config.pipeline.template</c>). Mizzen does not render templates yet, so such a pipeline is not runnable.
/// A pipeline rendered from a template (<c>source.type: templatedPipeline</c> beside its stages) is an ordinary one.
/// </summary>
internal static class TemplatedPipelineCheck
{
    public static ValidationProblem? Describe(JsonObject pipeline)
    {
        var hasStages = pipeline["stages"] is JsonArray { Count: > 0 };
        if (pipeline["template"] is JsonObject v2 && (pipeline["schema"].AsString() == "v2" || !hasStages))
        {
            return Unsupported("template", $"managed pipeline template v2 ({Reference(v2)})");
        }

        var v1 = ((pipeline["config"] as JsonObject)?["pipeline"] as JsonObject)?["template"] as JsonObject;
        if (v1 is not null || (pipeline["type"].AsString() == "templatedPipeline" && !hasStages))
        {
            return Unsupported(v1 is null ? "type" : "config.pipeline.template", $"managed pipeline template v1 ({Reference(v1)})");
        }

        return null;
    }

    private static ValidationProblem Unsupported(string location, string what) =>
        new(location, $"this pipeline is a reference to a {what}, not a list of stages: templated pipelines are not supported yet, so it cannot run");

    private static string Reference(JsonObject? template)
    {
        var source = template?["reference"].AsString() ?? template?["source"].AsString();
        var artifact = template?["artifactAccount"].AsString();
        return source is { Length: > 0 } ? $"template '{source}'" + (artifact is { Length: > 0 } ? $" in '{artifact}'" : "") : "no template named";
    }
}
