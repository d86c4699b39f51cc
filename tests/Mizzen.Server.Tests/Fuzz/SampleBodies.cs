using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Fuzz;

/// <summary>
/// A valid body for each route that takes one, which the fuzzer mutates field by field. Every stage in them is harmless
/// (wait, evaluateVariables, checkPreconditions): the fuzzer never sends a body that could run a job or call a webhook.
/// </summary>
internal static class SampleBodies
{
    public const string Application = "fuzzapp";

    /// <summary>The stage types a fuzzed body may name; <see cref="IsHarmless"/> refuses any other type the server can run.</summary>
    public static readonly IReadOnlySet<string> HarmlessTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "wait", "evaluateVariables", "checkPreconditions",
    };

    public static JsonObject Pipeline(string name) => Parse($$$"""
        {"application":"{{{Application}}}","name":"{{{name}}}","keepWaitingPipelines":false,"limitConcurrent":false,
         "parameterConfig":[{"name":"env","required":false,"default":"dev","options":[{"value":"dev"},{"value":"prod"}]}],
         "triggers":[{"type":"manual","enabled":true}],
         "notifications":[],
         "stages":[
           {"refId":"1","type":"wait","name":"pause","waitTime":0,
            "restrictExecutionDuringTimeWindow":false,
            "restrictedExecutionWindow":{"days":[1,2,3],"whitelist":[{"startHour":9,"startMin":0,"endHour":17,"endMin":0}]}},
           {"refId":"2","requisiteStageRefIds":["1"],"type":"evaluateVariables","name":"vars",
            "variables":[{"key":"target","value":"${parameters.env}"}]},
           {"refId":"3","requisiteStageRefIds":["2"],"type":"checkPreconditions","name":"check",
            "preconditions":[{"type":"expression","failPipeline":true,"context":{"expression":"${true}"}}]}]}
        """);

    public static JsonObject ApplicationBody() => Parse("""
        {"name":"fuzzapp2","email":"team@example.com","description":"fuzzed","permissions":{"READ":["dev"],"WRITE":["dev"]}}
        """);

    public static JsonObject Trigger() => Parse("""
        {"type":"manual","user":"fuzzer","parameters":{"env":"dev"},"artifacts":[]}
        """);

    public static JsonObject Task() => Parse($$$"""
        {"application":"{{{Application}}}","description":"fuzzed task",
         "job":[{"type":"wait","waitTime":0,"name":"pause"},{"type":"evaluateVariables","variables":[{"key":"k","value":"${1+1}"}]}]}
        """);

    public static JsonObject CanaryConfig() => Parse("""
        {"name":"fuzz-canary","applications":["fuzzapp"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"errors","groups":["e"],"scopeName":"default","query":{"type":"embedded","metricName":"error_rate"},
                     "analysisConfigurations":{"canary":{"direction":"increase","critical":true,"nanStrategy":"replace",
                       "effectSize":{"measure":"meanRatio","allowedIncrease":1.1},"outliers":{"strategy":"remove","outlierFactor":3}}}}],
         "classifier":{"groupWeights":{"e":100},"scoreThresholds":{"pass":75,"marginal":50}}}
        """);

    public static JsonObject CanaryRequest() => Parse("""
        {"scopes":{"default":{"controlScope":{"scope":"fuzzapp-v001","location":"local","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:02:00Z","step":10},
                              "experimentScope":{"scope":"fuzzapp-v002","location":"local","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:02:00Z","step":10}}},
         "thresholds":{"pass":75,"marginal":50}}
        """);

    public static JsonObject StagePatch() => Parse("""{"judgmentStatus":"continue","judgmentInput":"ok","skipRemainingWait":true}""");

    public static JsonObject Resize() => Parse("""{"capacity":{"min":1,"desired":1,"max":2}}""");

    /// <summary>A valid body for the route (method and pattern), or a small object when the route has no sample.</summary>
    public static JsonObject For(string method, string pattern) => (method, pattern) switch
    {
        ("POST", "/pipelines" or "/pipelines/validate") => Pipeline("fuzzed"),
        ("POST", "/pipelines/{app}/{nameOrId}") => Trigger(),
        ("POST", "/tasks") => Task(),
        ("POST", "/applications/") or ("POST", "/applications") => ApplicationBody(),
        ("POST" or "PUT", _) when pattern.Contains("canaryConfig", StringComparison.Ordinal) && !pattern.EndsWith("dryRun", StringComparison.Ordinal) => CanaryConfig(),
        ("POST", _) when pattern.Contains("/canaries/canary/", StringComparison.Ordinal) || pattern.EndsWith("dryRun", StringComparison.Ordinal) => CanaryRequest(),
        ("PATCH", _) => StagePatch(),
        ("POST", _) when pattern.EndsWith("resize", StringComparison.Ordinal) => Resize(),
        _ => Parse("""{"reason":"fuzz","value":1,"list":[1,"a"],"nested":{"a":null}}"""),
    };

    /// <summary>
    /// True when no <c>type</c> or <c>alias</c> anywhere in a body meant for a route that starts stages names a stage type the
    /// server can run (<paramref name="isStageType"/>) outside <see cref="HarmlessTypes"/>. The fuzzer checks every such body before it sends it.
    /// </summary>
    public static bool IsHarmless(JsonNode? node, Func<string, bool> isStageType) => node switch
    {
        JsonObject o => o.All(p => p.Key is "type" or "alias"
            ? p.Value is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String
              || HarmlessTypes.Contains(v.GetValue<string>()) || !isStageType(v.GetValue<string>())
            : IsHarmless(p.Value, isStageType)),
        JsonArray a => a.All(n => IsHarmless(n, isStageType)),
        _ => true,
    };

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
