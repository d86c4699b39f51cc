using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// Spinnaker's artifact matching (kork's <c>ExpectedArtifact.matches</c>): a <c>matchArtifact</c> matches an artifact when each of
/// <c>type</c>, <c>name</c>, <c>version</c>, <c>location</c> and <c>reference</c> that the match artifact sets equals the artifact's
/// value or matches it as a regular expression over the whole value. A field the match artifact leaves empty is ignored; a field it
/// sets needs a value on the artifact. <c>embedded/base64</c> and <c>remote/base64</c> match each other. A pattern that is not a valid
/// regular expression (or takes too long) only matches by equality, so a typo in a pipeline never throws at trigger time.
/// </summary>
public static class ArtifactMatching
{
    private static readonly string[] ComparedFields = ["name", "version", "location", "reference"];

    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    public static bool Matches(JsonObject matchArtifact, JsonObject artifact)
    {
        var pattern = matchArtifact["type"].AsString();
        var type = artifact["type"].AsString();
        if (!(IsBase64(pattern) && IsBase64(type)) && !FieldMatches(pattern, type))
        {
            return false;
        }

        foreach (var field in ComparedFields)
        {
            if (!FieldMatches(matchArtifact[field].AsString(), artifact[field].AsString()))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An empty pattern matches anything; otherwise the value must be present and equal the pattern or fully match it.</summary>
    public static bool FieldMatches(string? pattern, string? value)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return true;
        }

        if (value is null)
        {
            return false;
        }

        if (string.Equals(pattern, value, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return Regex.IsMatch(value, $@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, RegexBudget);
        }
        catch (ArgumentException)
        {
            return false; // not a regular expression: equality (above) was the only way to match
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool IsBase64(string? type) => type is "embedded/base64" or "remote/base64";
}
