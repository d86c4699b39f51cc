using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Triggers.Docker;

/// <summary>
/// <c>docker</c> triggers (echo's <c>DockerEventHandler</c>): addressed when the trigger's <c>account</c> and <c>repository</c> are the
/// polled ones; fires when the new tag fully matches the trigger's <c>tag</c> regular expression, or, with no <c>tag</c>, for any tag
/// but <c>latest</c> (Spinnaker's rule). <see cref="DockerMonitor"/> sends one event per new tag (or changed digest).
/// </summary>
public sealed class DockerTriggerType(IOptions<DockerTriggerOptions> options) : ITriggerType, ITriggerValidation
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    public string Type => "docker";

    /// <summary>The event source of a repository of an account.</summary>
    public static string SourceOf(string account, string repository) => $"{account.ToLowerInvariant()}/{repository}";

    public TriggerDecision Match(IndexedTrigger indexed, TriggerEvent triggerEvent)
    {
        var trigger = indexed.Trigger;
        if (trigger["account"].AsString() is not { } account || trigger["repository"].AsString() is not { } repository
            || SourceOf(account, repository) != triggerEvent.Source)
        {
            return TriggerDecision.NotAddressed;
        }

        var tag = triggerEvent.TriggerFields["tag"].AsString() ?? "";
        return TagMatches(trigger["tag"].AsString(), tag)
            ? TriggerDecision.Matched
            : TriggerDecision.Rejected(string.IsNullOrEmpty(trigger["tag"].AsString())
                ? "tag 'latest' never fires a docker trigger without a tag pattern (as in Spinnaker)"
                : $"tag '{tag}' does not match the trigger's tag '{trigger["tag"].AsString()}' (a whole match)");
    }

    public static bool TagMatches(string? pattern, string tag)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return tag != "latest";
        }

        try
        {
            return Regex.IsMatch(tag, $"^(?:{pattern})$", RegexOptions.CultureInvariant, RegexBudget);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public void Check(JsonObject trigger, string path, List<ValidationProblem> problems)
    {
        var accounts = options.Value.Accounts;
        var name = trigger["account"].AsString();
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new ValidationProblem($"{path}.account", "a docker trigger needs an account (a registry of Mizzen:Triggers:Docker:Accounts)"));
        }
        else if (accounts.Count == 0)
        {
            problems.Add(ValidationProblem.Warning($"{path}.account",
                $"no docker registry accounts are configured (Mizzen:Triggers:Docker:Accounts), so account '{name}' is not polled"));
        }
        else if (options.Value.Account(name) is not { } account)
        {
            problems.Add(new ValidationProblem($"{path}.account",
                $"unknown docker registry account '{name}' (configured: {string.Join(", ", accounts.Select(a => a.Name))})"));
        }
        else if (account.Repositories is { Count: > 0 } only && trigger["repository"].AsString() is { Length: > 0 } wanted && !only.Contains(wanted))
        {
            problems.Add(new ValidationProblem($"{path}.repository",
                $"account '{account.Name}' polls only {string.Join(", ", only)}, not '{wanted}'"));
        }

        if (string.IsNullOrWhiteSpace(trigger["repository"].AsString()))
        {
            problems.Add(new ValidationProblem($"{path}.repository", "a docker trigger needs a repository (such as 'team/app')"));
        }

        if (trigger["tag"].AsString() is { Length: > 0 } tag)
        {
            try
            {
                _ = new Regex(tag, RegexOptions.CultureInvariant, RegexBudget);
            }
            catch (ArgumentException e)
            {
                problems.Add(new ValidationProblem($"{path}.tag", $"'{tag}' is not a regular expression: {e.Message}"));
            }
        }
    }
}
