using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.RunJobManifest;

/// <summary>The context keys the run-job tasks share, and the name a Job gets.</summary>
internal static class JobContext
{
    /// <summary>Orca's <c>deploy.jobs</c>: <c>{"namespace": ["job name"]}</c>.</summary>
    public const string DeployJobsKey = "deploy.jobs";
    public const string JobNameKey = "jobName";
    public const string JobAccountKey = "jobAccount";
    public const string JobStatusKey = "jobStatus";
    public const string LogsKey = "logs";
    public const string PropertiesKey = "propertyFileContents";

    public static readonly string[] Keys = [DeployJobsKey, JobNameKey, JobAccountKey, JobStatusKey, LogsKey, PropertiesKey, "outputs.manifestNamesByNamespace", "manifestNamesByNamespace"];

    /// <summary>The job the first task created: account, and key; null before it ran.</summary>
    public static (string Account, ResourceKey Key)? Started(JsonObject context) =>
        context[JobAccountKey].AsString() is { Length: > 0 } account
        && context[JobNameKey].AsString() is { Length: > 0 } name
        && context[DeployJobsKey] is JsonObject jobs && jobs.FirstOrDefault() is { Key: { Length: > 0 } ns }
            ? (account, new ResourceKey("batch/v1", "Job", ns, name))
            : null;

    /// <summary>
    /// <c>generateName</c> + 5 characters from a hash of the execution, the stage and its start time: a redelivered message names the
    /// same Job (created once), a restarted stage a new one — what the API server's own random suffix cannot promise.
    /// </summary>
    public static string GeneratedName(string generateName, PipelineExecution execution, StageExecution stage)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789"; // the API server's own suffix alphabet
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{execution.Id}/{stage.Id}/{stage.StartTime ?? 0}"));
        var suffix = new StringBuilder(5);
        for (var i = 0; i < 5; i++)
        {
            suffix.Append(alphabet[hash[i] % alphabet.Length]);
        }

        var prefix = generateName.Length + 5 > 63 ? generateName[..58] : generateName;
        return prefix + suffix;
    }
}
