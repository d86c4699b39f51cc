namespace Mizzen.Expressions.Analysis;

/// <summary>
/// Fields a Spinnaker trigger carries at run time (echo's and orca's trigger models across trigger types). Used only to
/// suggest a name for a near miss (<c>trigger.paramters</c>): a field not listed here is not an error, because trigger
/// types and plugins add their own.
/// </summary>
public static class TriggerFields
{
    public static IReadOnlyList<string> Known { get; } =
    [
        "type", "user", "parameters", "artifacts", "notifications", "dryRun", "strategy", "rebake", "correlationId",
        "expectedArtifacts", "expectedArtifactIds", "resolvedExpectedArtifacts", "enabled", "runAsUser", "eventId", "other",
        "buildInfo", "buildNumber", "master", "job", "propertyFile", "properties", "scmInfo",
        "tag", "digest", "repository", "registry", "account", "organization", "imageName",
        "source", "project", "slug", "branch", "hash", "action", "payload", "payloadConstraints", "attributeConstraints",
        "subscriptionName", "pubsubSystem", "cronExpression", "id", "link", "linkText", "version",
        "parentExecution", "parentPipelineId", "parentPipelineName", "parentPipelineApplication", "parentPipelineStageId",
        "parentStatus", "parentPipeline", "pipeline", "isPipeline", "application", "status", "executionId",
    ];
}
