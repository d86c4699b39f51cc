using System.Text.Json.Nodes;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Evaluation;

/// <summary>
/// Orca's <c>scmInfo</c>: the source-control entry of the build that triggered the run (stage <c>buildInfo</c> first, else the
/// trigger's). With two or more entries, the first whose branch is not master/develop (else the first).
/// </summary>
internal static class ScmInfo
{
    public static object? From(JsonObject? stageBuildInfo, JsonObject trigger)
    {
        var scm = stageBuildInfo?["scm"] as JsonArray ?? (trigger["buildInfo"] as JsonObject)?["scm"] as JsonArray;
        if (scm is null || scm.Count == 0)
        {
            return null;
        }

        if (scm.Count == 1)
        {
            return JsonValues.FromNode(scm[0]);
        }

        var preferred = scm.FirstOrDefault(entry =>
            entry is JsonObject o && o["branch"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                                  && o["branch"]!.GetValue<string>() is not ("master" or "develop"));
        return JsonValues.FromNode(preferred ?? scm[0]);
    }
}
