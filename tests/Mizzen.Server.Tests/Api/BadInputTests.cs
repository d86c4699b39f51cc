using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Api;

/// <summary>The six causes of 500s the first fuzzing found, each through the real HTTP API: now a 400 naming the field.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string Canary = """
        {"name":"checkout","applications":["shop"],
         "metrics":[{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"}}],
         "classifier":{"groupWeights":{"e":100}}}
        """;

    private const string Scopes = """
        {"controlScope":{"scope":"shop-v001","location":"local","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:10:00Z"},
         "experimentScope":{"scope":"shop-v002","location":"local","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:10:00Z"}}
        """;

    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_lone_surrogate_escape_in_a_string_is_a_400_naming_its_line_and_column()
    {
        const string Body = "{\"application\":\"shop\",\n \"name\":\"bad \\ud800 name\",\"stages\":[]}";
        foreach (var path in new[] { "/pipelines", "/applications", "/v2/canaries/canaryConfig", "/tasks" })
        {
            var (status, problem) = await PostAsync(path, Body);
            status.ShouldBe(400, $"{path}: {problem}");
            Locations(problem).ShouldContain(l => l.StartsWith("line 2, column", StringComparison.Ordinal) || l == "$" || l.Length == 0, $"{path}: {problem}");
            problem!["detail"]!.GetValue<string>().ShouldContain("surrogate", Case.Insensitive, path);
        }

        var (validateStatus, verdict) = await PostAsync("/pipelines/validate", Body);
        validateStatus.ShouldBe(200);
        verdict!["valid"]!.GetValue<bool>().ShouldBeFalse();
        verdict["errors"]![0]!["location"]!.GetValue<string>().ShouldStartWith("line 2");
    }

    [Fact]
    public async Task A_repeated_key_takes_its_last_value_and_the_answer_warns_with_the_key_and_its_line()
    {
        const string Pipeline = "{\"application\":\"shop\",\"name\":\"first\",\n \"name\":\"second\",\"stages\":[{\"refId\":\"1\",\"type\":\"wait\",\"waitTime\":0}]}";
        var saved = await server.PostJsonAsync("/pipelines", Pipeline);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        saved.Headers.GetValues("Warning").ShouldHaveSingleItem().ShouldContain("line 2");
        saved.Headers.GetValues("Warning").Single().ShouldContain("'name'");
        (await server.GetJsonAsync("/applications/shop/pipelineConfigs/second"))["name"]!.GetValue<string>().ShouldBe("second");

        var (_, verdict) = await PostAsync("/pipelines/validate", Pipeline);
        verdict!["valid"]!.GetValue<bool>().ShouldBeTrue();
        verdict["warnings"]!.AsArray().ShouldHaveSingleItem()!["message"]!.GetValue<string>().ShouldContain("duplicate key 'name'");

        var (status, created) = await PostAsync("/v2/canaries/canaryConfig", Canary.Replace("\"name\":\"checkout\"", "\"name\":\"one\",\"name\":\"two\"", StringComparison.Ordinal));
        status.ShouldBe(200, created?.ToJsonString());
        (await server.GetJsonAsync($"/v2/canaries/canaryConfig/{created!["canaryConfigId"]}"))["name"]!.GetValue<string>().ShouldBe("two");
    }

    [Fact]
    public async Task A_list_or_number_where_an_object_is_expected_is_a_400_naming_the_field()
    {
        (await LocationsOfAsync("/pipelines", """{"application":"shop","name":"p","parameterConfig":[1],"stages":[]}""")).ShouldContain("parameterConfig[0]");
        (await LocationsOfAsync("/pipelines", """
            {"application":"shop","name":"w","stages":[{"refId":"1","type":"wait","waitTime":1,"restrictExecutionDuringTimeWindow":true,"restrictedExecutionWindow":[]}]}
            """)).ShouldContain("stages[0].restrictedExecutionWindow");
        (await LocationsOfAsync("/tasks", """{"application":"shop","job":[1]}""")).ShouldContain("job[0]");

        var id = (await PostAsync("/v2/canaries/canaryConfig", Canary)).Body!["canaryConfigId"]!.GetValue<string>();
        (await LocationsOfAsync($"/v2/canaries/canary/{id}", """{"scopes":{"default":1}}""")).ShouldContain("scopes.default");
        (await LocationsOfAsync($"/v2/canaries/canaryConfig/{id}/dryRun", """{"scopes":{"default":[]}}""")).ShouldContain("scopes.default");
        (await LocationsOfAsync($"/v2/canaries/canary/{id}", "{\"scopes\":{\"default\":" + Scopes + "},\"thresholds\":[]}")).ShouldContain("thresholds");
    }

    [Fact]
    public async Task A_null_metric_or_group_in_a_canary_config_is_a_400_naming_the_entry()
    {
        (await LocationsOfAsync("/v2/canaries/canaryConfig", """{"name":"n","applications":["shop"],"metrics":[null]}""")).ShouldContain("metrics[0]");
        (await LocationsOfAsync("/v2/canaries/canaryConfig", Canary.Replace("\"groups\":[\"e\"]", "\"groups\":[null]", StringComparison.Ordinal)))
            .ShouldContain("metrics[0].groups[0]");
    }

    [Fact]
    public async Task A_number_no_double_can_hold_is_a_400_naming_its_line()
    {
        var pipeline = await LocationsOfAsync("/pipelines", "{\"application\":\"shop\",\"name\":\"n\",\n\"stages\":[{\"refId\":\"1\",\"type\":\"wait\",\"waitTime\":1e309}]}");
        pipeline.ShouldContain(l => l.StartsWith("line 2", StringComparison.Ordinal));
        (await LocationsOfAsync("/v2/canaries/canaryConfig", Canary.Replace("100", "1e309", StringComparison.Ordinal))).ShouldNotBeEmpty();
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"ok","stages":[{"refId":"1","type":"wait","waitTime":0}]}""")).EnsureSuccessStatusCode();
        (await LocationsOfAsync("/pipelines/shop/ok", """{"parameters":{"x":-1e309}}""")).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_canary_config_with_an_empty_or_invalid_application_is_a_400_naming_it()
    {
        (await LocationsOfAsync("/v2/canaries/canaryConfig", Canary.Replace("[\"shop\"]", "[\"\"]", StringComparison.Ordinal))).ShouldContain("applications[0]");
        (await LocationsOfAsync("/v2/canaries/canaryConfig?application=", Canary.Replace("[\"shop\"]", "[]", StringComparison.Ordinal))).ShouldContain("applications");
        (await LocationsOfAsync("/v2/canaries/canaryConfig?application=a%2Fb", Canary)).ShouldContain("application");
    }

    [Fact]
    public async Task A_canary_config_id_with_a_slash_is_a_400_naming_the_id_not_a_500()
    {
        (await LocationsOfAsync("/v2/canaries/canaryConfig", Canary.Replace("{\"name\"", "{\"id\":\"a/b\",\"name\"", StringComparison.Ordinal))).ShouldContain("id");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_for_a_typed_body_is_a_400_naming_the_field()
    {
        (await LocationsOfAsync("/applications", """{"name":["shop2"],"email":"a@b.c"}""")).ShouldBe(["name"]);
        (await LocationsOfAsync("/applications", """{"name":"shop2","email":{"a":1}}""")).ShouldBe(["email"]);
    }

    [Fact]
    public async Task Every_error_is_problem_details_with_a_trace_id()
    {
        var response = await server.Http.GetAsync("/pipelines/01NOPE");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["title"]!.GetValue<string>().ShouldBe("Not found");
        problem["detail"]!.GetValue<string>().ShouldContain("01NOPE");
        problem["traceId"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    private async Task<(int Status, JsonNode? Body)> PostAsync(string path, string json)
    {
        var response = await server.PostJsonAsync(path, json);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Posts <paramref name="json"/>, expects a 400 ProblemDetails and gives the locations it names.</summary>
    private async Task<IReadOnlyList<string>> LocationsOfAsync(string path, string json)
    {
        var (status, problem) = await PostAsync(path, json);
        status.ShouldBe(400, $"{path}: {problem?.ToJsonString()}");
        return Locations(problem);
    }

    private static List<string> Locations(JsonNode? problem) =>
        problem?["errors"] is JsonArray errors ? [.. errors.Select(e => e!["location"]!.GetValue<string>())] : [];
}
