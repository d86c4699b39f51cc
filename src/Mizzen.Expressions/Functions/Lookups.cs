using System.Text.Json.Nodes;

namespace Mizzen.Expressions.Functions;

/// <summary>Stored pipeline configs, for <c>#pipelineId</c>, <c>#pipelineIdOrNull</c>, <c>#pipelineIdInApplication</c>.</summary>
public interface IPipelineConfigLookup
{
    /// <summary>The id of the pipeline called <paramref name="pipelineName"/> in <paramref name="application"/>, or null.</summary>
    string? FindPipelineId(string application, string pipelineName);
}

/// <summary>Applications, for <c>#applicationMetadata</c>.</summary>
public interface IApplicationLookup
{
    /// <summary>The application as Spinnaker's Front50 returns it (<c>name</c>, <c>email</c>, ...), or null.</summary>
    JsonObject? FindApplication(string application);
}

/// <summary>Canary configs, for <c>#canaryConfigNameToId</c>.</summary>
public interface ICanaryConfigLookup
{
    /// <summary>The id of the canary config called <paramref name="configName"/> in <paramref name="application"/>, or null.</summary>
    string? FindCanaryConfigId(string configName, string application);
}

/// <summary>The lookups the evaluator was given; any of them may be missing (the functions then fail with a clear message).</summary>
internal sealed record ExpressionLookups(IPipelineConfigLookup? Pipelines, IApplicationLookup? Applications, ICanaryConfigLookup? CanaryConfigs);
