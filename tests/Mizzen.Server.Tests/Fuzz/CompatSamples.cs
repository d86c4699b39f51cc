using System.Text.Json.Nodes;
using Mizzen.Testing;

namespace Mizzen.Server.Tests.Fuzz;

/// <summary>
/// Real Spinnaker documents from shared/compat as fuzzing samples: pipelines (every stage type, real field names) only
/// for <c>POST /pipelines/validate</c>, which checks and never runs; canary configs for the canary config routes.
/// Read with repeated keys allowed, as the server reads them (one wild pipeline repeats a key).
/// </summary>
internal static class CompatSamples
{
    public static IReadOnlyList<JsonObject> Pipelines() =>
        [.. new[] { "pipelines", "pipelines-wild" }
            .SelectMany(folder => Read(folder))
            .Where(o => o["stages"] is JsonArray && o["status"] is null)];

    public static IReadOnlyList<JsonObject> CanaryConfigs() => [.. Read("canary-configs")];

    private static IEnumerable<JsonObject> Read(string folder)
    {
        foreach (var file in Directory.GetFiles(CompatData.PathOf(folder), "*.json").Order(StringComparer.Ordinal))
        {
            var root = Core.Json.JsonInput.Parse(File.ReadAllText(file)).Root;
            var objects = root is JsonArray array ? array.OfType<JsonObject>() : root is JsonObject single ? [single] : [];
            foreach (var o in objects)
            {
                yield return o;
            }
        }
    }
}
