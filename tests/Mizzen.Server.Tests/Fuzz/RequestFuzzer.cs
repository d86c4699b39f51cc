using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Fuzz;

/// <summary>
/// Makes malformed requests from one seed: a route, its parameters filled with existing ids, unknown ids or hostile ones
/// (path traversal, encoded NULs, invalid UTF-8, 4,000 characters), query parameters of the wrong type, a mutated
/// body and sometimes a wrong content type. Bodies for routes that start stages are checked to name no stage type that
/// does real things (<see cref="SampleBodies.IsHarmless"/>); such a body is replaced by an invalid one.
/// </summary>
internal sealed class RequestFuzzer(
    int seed, IReadOnlyList<FuzzRoute> routes, IReadOnlyDictionary<string, string[]> existingIds, Func<string, bool> isStageType,
    IReadOnlyList<JsonObject> validateOnlyPipelines, IReadOnlyList<JsonObject> canaryConfigs)
{
    private static readonly string[] HostileIds =
    [
        "..%2F..%2Fetc", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc", "..", "%2E%2E", "a%00b", "%00", "%ED%A0%80", "%FF%FE",
        "%F0%9F%92%A5", "%20", "%25", "a%2Fb", "%5C..%5C..%5Cwindows", "CON", "$%7Bparameters.x%7D", "%27%3B%20DROP%20TABLE%20executions%3B--",
        new string('x', 4000), "-1", "0", "99999999999999999999", "1e309", "NaN",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
        "application/json; charset=utf-16", "application/json; charset=nonsense", "*/*", "application/problem+json",
    ];

    private static readonly string[] QueryGarbage =
    [
        "", "abc", "-1", "0", "99999999999999999999", "1e309", "NaN", "true", "%00", "%ED%A0%80", "..%2F..%2Fetc",
        "${", "${#stag('x')}", "${trigger.paramters.x}", "${1/0}", "${T(java.lang.System).getenv()}", new string('q', 3000),
    ];

    private readonly Random random = new(seed);
    private readonly JsonMutations mutations = new(new Random(seed + 1));

    public FuzzRequest Next()
    {
        // Routes that read a body are where most can go wrong: they get more than their share.
        var withBody = routes.Where(r => r.TakesBody).ToList();
        var route = random.Next(100) < 60 && withBody.Count > 0 ? withBody[random.Next(withBody.Count)] : routes[random.Next(routes.Count)];
        var path = FillRoute(route) + Query(route);
        if (!route.TakesBody)
        {
            return new FuzzRequest(route, path, null, null, null, "no body");
        }

        var contentType = random.Next(100) < 85 ? "application/json" : random.Next(6) == 0 ? null : ContentTypes[random.Next(ContentTypes.Length)];
        if (random.Next(100) < 3)
        {
            var bytes = new byte[random.Next(1, 2000)];
            random.NextBytes(bytes);
            return new FuzzRequest(route, path, null, bytes, contentType, "random bytes");
        }

        var sample = SampleBodies.For(route.Method, route.Pattern);
        if (route is { Method: "POST", Pattern: "/pipelines/validate" } && validateOnlyPipelines.Count > 0 && random.Next(100) < 70)
        {
            // Validation never runs a stage, so here a real pipeline with any stage type is fine.
            sample = validateOnlyPipelines[random.Next(validateOnlyPipelines.Count)];
        }
        else if (sample.ContainsKey("metrics") && canaryConfigs.Count > 0 && random.Next(100) < 50)
        {
            sample = canaryConfigs[random.Next(canaryConfigs.Count)];
        }

        var body = mutations.Mutate(sample, out var what);
        if (StartsStages(route) && !IsHarmless(body))
        {
            // Never send a body that could run a job, a webhook or a deploy: an invalid body instead.
            body = "{\"job\": 1, \"stages\": 1}";
            what = "replaced: the mutation named a stage type that does real things";
        }

        return new FuzzRequest(route, path, body, null, contentType, what);
    }

    /// <summary>Routes whose body can start stages: ad-hoc tasks and pipeline saves (a saved pipeline can be triggered later).</summary>
    public static bool StartsStages(FuzzRoute route) =>
        route.Method == "POST" && route.Pattern is "/tasks" or "/pipelines";

    private bool IsHarmless(string body)
    {
        try
        {
            var node = JsonNode.Parse(body, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 20_000, AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
            return SampleBodies.IsHarmless(node, isStageType);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON to JsonNode (broken, or a repeated key, which the server reads as last-wins): go by the words in it.
            return !MentionsRunnableStageType(body);
        }
    }

    /// <summary>For text that is not JSON: true when any word in it is a stage type outside the harmless set.</summary>
    private bool MentionsRunnableStageType(string body) =>
        body.Split(['"', ',', ':', '{', '}', '[', ']', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Any(w => w.Length < 64 && isStageType(w) && !SampleBodies.HarmlessTypes.Contains(w));

    private string FillRoute(FuzzRoute route)
    {
        var path = route.Pattern;
        foreach (var segment in route.Pattern.Split('/'))
        {
            if (!segment.StartsWith('{'))
            {
                continue;
            }

            var name = segment.Trim('{', '}', '*').Split(':')[0].TrimEnd('?');
            path = path.Replace(segment, Value(name), StringComparison.Ordinal);
        }

        return path.Length == 0 ? "/" : path;
    }

    private string Value(string name)
    {
        var roll = random.Next(100);
        if (roll < 75 && existingIds.TryGetValue(name, out var ids) && ids.Length > 0)
        {
            return Uri.EscapeDataString(ids[random.Next(ids.Length)]);
        }

        return roll < 87 ? $"unknown-{random.Next(1000)}" : HostileIds[random.Next(HostileIds.Length)];
    }

    private string Query(FuzzRoute route)
    {
        var parts = new List<string>();
        foreach (var (name, type) in route.QueryParameters)
        {
            if (random.Next(100) < 40)
            {
                continue;
            }

            var value = random.Next(100) < 40 ? Sensible(name, type) : QueryGarbage[random.Next(QueryGarbage.Length)];
            parts.Add($"{name}={(value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value))}");
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private string Sensible(string name, Type type) => name switch
    {
        "application" or "app" => SampleBodies.Application,
        "expression" => random.Next(2) == 0 ? "${execution.status}" : "trigger.parameters.env",
        "statuses" => "RUNNING,TERMINAL",
        _ when type == typeof(int) || type == typeof(long) => random.Next(-2, 30).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when type == typeof(bool) => random.Next(2) == 0 ? "true" : "false",
        _ => "fuzz",
    };
}
