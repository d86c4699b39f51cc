using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mizzen.Server.Tests.Security.Authorization;

/// <summary>
/// What the route matrix calls routes with: a restricted application <c>shop</c> with pipelines <c>deploy</c> (a wait) and <c>gated</c>
/// (a manual judgment, running), a canary config, and for each deleting route its own victim (<c>doomed</c>), so the routes read real
/// resources and the permission check meets a real application.
/// </summary>
public sealed partial class MatrixFixtures
{
    public const string CanaryConfig = """
        {"name":"checkout","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"},"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}}],
         "classifier":{"groupWeights":{"e":100}}}
        """;

    private const string Deploy = """{"application":"shop","name":"deploy","stages":[{"refId":"1","type":"wait","name":"pause","waitTime":0}]}""";

    private const string Gated = """
        {"application":"shop","name":"gated","stages":[{"refId":"1","type":"manualJudgment","name":"Approve"}]}
        """;

    private readonly Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);

    public string ExecutionId { get; private set; } = "";

    public string StageId { get; private set; } = "";

    public string PipelineConfigId { get; private set; } = "";

    public string CanaryConfigId { get; private set; } = "";

    /// <summary>One victim per path prefix (Kayenta's and Gate's), as each DELETE route deletes its own.</summary>
    public Dictionary<string, string> DoomedCanaryConfigIds { get; } = [];

    public string TokenId { get; private set; } = "";

    public static async Task<MatrixFixtures> CreateAsync(SecuredServer secured)
    {
        var fixtures = new MatrixFixtures();
        foreach (var name in new[] { "shop", "doomed" })
        {
            await secured.AdminAsync(HttpMethod.Post, "/applications", new JsonObject { ["name"] = name, ["permissions"] = SecuredServer.ShopPermissions.DeepClone() }.ToJsonString());
        }

        await secured.AdminAsync(HttpMethod.Post, "/applications", """{"name":"open"}""");
        fixtures.PipelineConfigId = (await secured.AdminAsync(HttpMethod.Post, "/pipelines", Deploy))!["id"]!.GetValue<string>();
        await secured.AdminAsync(HttpMethod.Post, "/pipelines", Deploy.Replace("\"deploy\"", "\"doomed\"", StringComparison.Ordinal));
        await secured.AdminAsync(HttpMethod.Post, "/pipelines", Gated);
        var started = await secured.AdminAsync(HttpMethod.Post, "/pipelines/shop/gated", "{}");
        fixtures.ExecutionId = started!["ref"]!.GetValue<string>().Split('/')[^1];
        fixtures.StageId = (await secured.AdminAsync(HttpMethod.Get, $"/pipelines/{fixtures.ExecutionId}"))!["stages"]![0]!["id"]!.GetValue<string>();
        fixtures.CanaryConfigId = (await secured.AdminAsync(HttpMethod.Post, "/v2/canaries/canaryConfig?application=shop", CanaryConfig))!["canaryConfigId"]!.GetValue<string>();
        foreach (var prefix in new[] { "/v2/canaries/canaryConfig", "/v2/canaryConfig" })
        {
            fixtures.DoomedCanaryConfigIds[prefix] = (await secured.AdminAsync(HttpMethod.Post, $"{prefix}?application=shop",
                CanaryConfig.Replace("\"checkout\"", "\"doomed\"", StringComparison.Ordinal)))!["canaryConfigId"]!.GetValue<string>();
        }
        fixtures.TokenId = (await secured.AdminAsync(HttpMethod.Post, "/auth/tokens", """{"name":"matrix-victim"}"""))!["id"]!.GetValue<string>();

        fixtures.values["app"] = "shop";
        fixtures.values["name"] = "deploy";
        fixtures.values["nameOrId"] = "deploy";
        fixtures.values["stageId"] = fixtures.StageId;
        fixtures.values["account"] = "prod";
        fixtures.values["serverGroup"] = "shop-v000";
        fixtures.values["cluster"] = "shop";
        fixtures.values["Target"] = "shop-v000";
        fixtures.values["Action"] = "resize";
        fixtures.values["instanceId"] = "i-nowhere";
        fixtures.values["region"] = "local";
        fixtures.values["revision"] = "1";
        fixtures.values["configId"] = fixtures.CanaryConfigId;
        fixtures.values["canaryExecutionId"] = $"{fixtures.ExecutionId}-{fixtures.StageId}";
        fixtures.values["source"] = "matrix";
        fixtures.values["Rest"] = "nowhere";
        return fixtures;
    }

    /// <summary>The route's pattern with this fixture's values, and the query parameters routes read.</summary>
    public string Path(string method, string pattern)
    {
        var path = Parameter().Replace(pattern, m =>
        {
            var name = m.Groups["name"].Value;
            return name.ToLowerInvariant() switch
            {
                "app" when method == "DELETE" && pattern == "/applications/{app}" => "doomed",
                "name" when method == "DELETE" => "doomed",
                "id" => Id(method, pattern),
                _ => Uri.EscapeDataString(values.GetValueOrDefault(name) ?? throw new InvalidOperationException($"no test value for {{{name}}} in {pattern}")),
            };
        });
        return path + "?application=shop&expression=1&from=1&to=1";
    }

    /// <summary>A body that passes the route's input checks where it can, so an allowed call does what it says.</summary>
    public string? Body(string method, string pattern) => (method, pattern) switch
    {
        ("GET" or "DELETE", _) => null,
        ("POST", "/applications") => new JsonObject { ["name"] = "shop", ["permissions"] = SecuredServer.ShopPermissions.DeepClone() }.ToJsonString(),
        ("POST", "/pipelines" or "/pipelines/validate") => Deploy,
        ("POST", "/tasks") => """{"application":"shop","job":[{"type":"wait","waitTime":0}]}""",
        ("POST", "/v2/canaries/canaryConfig" or "/v2/canaryConfig") => CanaryConfig.Replace("\"checkout\"", "\"another\"", StringComparison.Ordinal),
        ("PUT", _) when pattern.Contains("canaryConfig", StringComparison.Ordinal) => CanaryConfig,
        ("PATCH", _) => """{"judgmentStatus":"continue"}""",
        ("POST", _) when pattern.EndsWith("/resize", StringComparison.Ordinal) => """{"capacity":{"desired":1}}""",
        _ => "{}",
    };

    private string Id(string method, string pattern) => pattern switch
    {
        _ when pattern.StartsWith("/pipelineConfigs/", StringComparison.Ordinal) || pattern.StartsWith("/ui/pipelines/", StringComparison.Ordinal) => PipelineConfigId,
        _ when pattern.Contains("anaryConfig/", StringComparison.Ordinal) || pattern.StartsWith("/ui/canary-configs/", StringComparison.Ordinal) =>
            method == "DELETE" ? DoomedCanaryConfigIds[pattern[..pattern.LastIndexOf('/')]] : CanaryConfigId,
        _ when pattern.StartsWith("/auth/tokens/", StringComparison.Ordinal) => TokenId,
        _ when pattern.StartsWith("/ui/instances/", StringComparison.Ordinal) => "i-nowhere",
        _ => ExecutionId,
    };

    [GeneratedRegex(@"\{\*?(?<name>[A-Za-z]+)(:[a-z]+)?\}")]
    private static partial Regex Parameter();
}
