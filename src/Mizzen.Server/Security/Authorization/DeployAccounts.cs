using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// The accounts stages deploy to or change: every <c>account</c> or <c>credentials</c> string in them, at any depth (a deploy stage's
/// <c>clusters[].account</c>, a resize's <c>credentials</c>, a Kubernetes stage's <c>account</c>). A value with an expression
/// (<c>${...}</c>) is known only when the stage runs and is not checked here.
/// </summary>
public static class DeployAccounts
{
    private static readonly string[] Keys = ["account", "credentials"];

    public static IReadOnlyList<string> In(JsonArray stages)
    {
        var found = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        Collect(stages, found, depth: 0);
        return [.. found];
    }

    private static void Collect(JsonNode? node, SortedSet<string> found, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (Keys.Contains(key, StringComparer.Ordinal) && value.AsString() is { Length: > 0 } account && !account.Contains("${", StringComparison.Ordinal))
                    {
                        found.Add(account);
                    }
                    else
                    {
                        Collect(value, found, depth + 1);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, found, depth + 1);
                }

                break;
        }
    }
}
