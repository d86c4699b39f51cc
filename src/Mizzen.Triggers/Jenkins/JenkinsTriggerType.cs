using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Triggers.Jenkins;

/// <summary>
/// <c>jenkins</c> triggers (echo's <c>BuildEventHandler</c>): addressed when the trigger's <c>master</c> and <c>job</c> are those of a
/// finished build; fires when the build's result is <c>SUCCESS</c> (echo's "successful trigger event") and the build's property file
/// satisfies <c>payloadConstraints</c>. Any other result is recorded in the trigger's status with the result, so "why did my build
/// not start the pipeline" has an answer. <see cref="JenkinsMonitor"/> sends one event per finished build and property file.
/// </summary>
public sealed class JenkinsTriggerType(IOptions<JenkinsTriggerOptions> options) : ITriggerType, ITriggerValidation
{
    public string Type => "jenkins";

    /// <summary>The event source of a job of a master, with the property file the event's <c>properties</c> were read from.</summary>
    public static string SourceOf(string master, string job, string? propertyFile) =>
        $"{master.ToLowerInvariant()}/{job.Trim('/')}|{propertyFile ?? ""}";

    public TriggerDecision Match(IndexedTrigger indexed, TriggerEvent triggerEvent)
    {
        var trigger = indexed.Trigger;
        if (trigger["master"].AsString() is not { } master || trigger["job"].AsString() is not { } job
            || SourceOf(master, job, trigger["propertyFile"].AsString()) != triggerEvent.Source)
        {
            return TriggerDecision.NotAddressed;
        }

        var build = triggerEvent.TriggerFields["buildInfo"] as JsonObject ?? [];
        var result = build["result"].AsString();
        if (result != "SUCCESS")
        {
            return TriggerDecision.Rejected($"build #{build["number"].AsLong()} finished {result ?? "without a result"}; jenkins triggers fire on SUCCESS only (as in Spinnaker)");
        }

        return PayloadConstraints.Check(trigger["payloadConstraints"], triggerEvent.TriggerFields["properties"] as JsonObject ?? []) is { } failed
            ? TriggerDecision.Rejected(failed)
            : TriggerDecision.Matched;
    }

    public void Check(JsonObject trigger, string path, List<ValidationProblem> problems)
    {
        var masters = options.Value.Masters;
        var name = trigger["master"].AsString();
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new ValidationProblem($"{path}.master", "a jenkins trigger needs a master (one of Mizzen:Triggers:Jenkins:Masters)"));
        }
        else if (masters.Count == 0)
        {
            problems.Add(ValidationProblem.Warning($"{path}.master",
                $"no Jenkins masters are configured (Mizzen:Triggers:Jenkins:Masters), so master '{name}' is not polled"));
        }
        else if (options.Value.Master(name) is null)
        {
            problems.Add(new ValidationProblem($"{path}.master",
                $"unknown Jenkins master '{name}' (configured: {string.Join(", ", masters.Select(m => m.Name))})"));
        }

        if (string.IsNullOrWhiteSpace(trigger["job"].AsString()))
        {
            problems.Add(new ValidationProblem($"{path}.job", "a jenkins trigger needs a job (a job in a folder is written 'folder/job/name')"));
        }

        PayloadConstraints.Validate(trigger["payloadConstraints"], $"{path}.payloadConstraints", problems);
    }
}
