using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Triggers.Git;

/// <summary>
/// <c>git</c> triggers (echo's <c>GitEventHandler</c>): <c>{"source": "github", "project": "acme", "slug": "shop", "branch": "main",
/// "secret": "..."}</c>. A push is addressed to a trigger when source, project and slug are equal (case-insensitive); it fires when
/// <c>branch</c> (a regular expression over the whole branch name; empty = any branch) matches. With a <c>secret</c>, the sender must
/// prove it (GitHub's signature, GitLab's token) — checked before anything is dispatched (<see cref="Authenticate"/>). The run's
/// trigger gets <c>hash</c>, <c>branch</c>, <c>project</c>, <c>slug</c>, <c>action</c> and a <c>git/repo</c> artifact.
/// </summary>
public sealed class GitTriggerType : ITriggerType, ITriggerValidation
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    public string Type => "git";

    public TriggerDecision Match(IndexedTrigger trigger, TriggerEvent triggerEvent)
    {
        var fields = triggerEvent.TriggerFields;
        if (!Addresses(trigger.Trigger, triggerEvent.Source, fields["project"].AsString(), fields["slug"].AsString()))
        {
            return TriggerDecision.NotAddressed;
        }

        var branch = fields["branch"].AsString() ?? "";
        return BranchMatches(trigger.Trigger["branch"].AsString(), branch)
            ? TriggerDecision.Matched
            : TriggerDecision.Rejected($"branch '{branch}' does not match '{trigger.Trigger["branch"].AsString()}'");
    }

    /// <summary>Source, project and slug equal, case-insensitively.</summary>
    public static bool Addresses(JsonObject trigger, string? source, string? project, string? slug) =>
        string.Equals(trigger["source"].AsString(), source, StringComparison.OrdinalIgnoreCase)
        && string.Equals(trigger["project"].AsString(), project, StringComparison.OrdinalIgnoreCase)
        && string.Equals(trigger["slug"].AsString(), slug, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Null when every enabled trigger this push is addressed to and that has a <c>secret</c> is satisfied by the push's proof;
    /// otherwise why not. One failure refuses the whole delivery (a 401 that starts nothing): a forged push must not start even
    /// the pipelines that have no secret.
    /// </summary>
    public static string? Authenticate(IEnumerable<IndexedTrigger> triggers, GitPush push, ReadOnlySpan<byte> rawBody)
    {
        foreach (var trigger in triggers)
        {
            if (!trigger.Enabled || !Addresses(trigger.Trigger, push.Source, push.Project, push.Slug)
                || trigger.Trigger["secret"].AsString() is not { Length: > 0 } secret)
            {
                continue;
            }

            if (!push.Proves(secret, rawBody))
            {
                return push.Signature is null && push.Token is null
                    ? $"{push.Source} push to {push.Project}/{push.Slug} carries no signature, and a trigger on it has a secret"
                    : $"the signature of this {push.Source} push to {push.Project}/{push.Slug} does not match the trigger's secret";
            }
        }

        return null;
    }

    public void Check(JsonObject trigger, string path, List<ValidationProblem> problems)
    {
        var source = trigger["source"].AsString()?.ToLowerInvariant();
        if (source is not ("github" or "gitlab" or "bitbucket" or "stash"))
        {
            problems.Add(ValidationProblem.Warning($"{path}.source", $"a git trigger's source is github, gitlab, bitbucket or stash, not '{source}': no push reaches it"));
        }

        foreach (var field in new[] { "project", "slug" })
        {
            if (string.IsNullOrWhiteSpace(trigger[field].AsString()))
            {
                problems.Add(ValidationProblem.Warning($"{path}.{field}", $"a git trigger needs its repository's {field}: without it no push reaches it"));
            }
        }

        if (trigger["branch"].AsString() is { Length: > 0 } branch)
        {
            try
            {
                _ = new Regex(branch, RegexOptions.CultureInvariant, RegexBudget);
            }
            catch (ArgumentException e)
            {
                problems.Add(ValidationProblem.Warning($"{path}.branch", $"'{branch}' is not a regular expression ({e.Message}): it matches only that exact name"));
            }
        }
    }

    /// <summary>The event for a push: its delivery id, and the fields the run's trigger gets.</summary>
    public static TriggerEvent EventFor(GitPush push, string deliveryId, string from)
    {
        var artifacts = new List<JsonObject>();
        if (push.RepositoryUrl is { Length: > 0 } url)
        {
            artifacts.Add(new JsonObject
            {
                ["type"] = "git/repo", ["name"] = $"{push.Project}/{push.Slug}", ["reference"] = url, ["version"] = push.Branch,
                ["metadata"] = new JsonObject { ["sha"] = push.Hash },
            });
        }

        return new TriggerEvent("git", deliveryId)
        {
            Source = push.Source,
            Artifacts = artifacts,
            TriggerFields = new JsonObject
            {
                ["project"] = push.Project, ["slug"] = push.Slug, ["branch"] = push.Branch, ["hash"] = push.Hash, ["action"] = push.Action,
            },
            Description = $"{push.Source} push to {push.Project}/{push.Slug} {push.Branch} ({(push.Hash.Length > 12 ? push.Hash[..12] : push.Hash)}) from {from}",
        };
    }

    private static bool BranchMatches(string? pattern, string branch)
    {
        if (string.IsNullOrEmpty(pattern) || pattern == branch)
        {
            return true;
        }

        try
        {
            return Regex.IsMatch(branch, $@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, RegexBudget);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
