using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Storage;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Canary;

public sealed class CanaryApiTests
{
    private const string Config = """
        {"name":"checkout","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"},"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}}],
         "classifier":{"groupWeights":{"e":100}}}
        """;

    [Fact]
    public async Task Canary_configs_are_created_listed_revised_and_deleted_in_sqlite_with_validation_errors_as_problem_details()
    {
        await using var server = await RunningServer.StartAsync();

        var invalid = await server.PostJsonAsync("/v2/canaries/canaryConfig?application=shop", """{"name":"bad","metrics":[{"name":"a","query":{"type":"embedded","metricName":"x"},"groups":["x"]}],"classifier":{"groupWeights":{"x":90}}}""");
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!;
        problem["errors"]!.AsArray().ShouldContain(e => e!["location"]!.GetValue<string>() == "classifier.groupWeights");

        var created = await server.PostJsonAsync("/v2/canaries/canaryConfig", Config);
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();

        (await server.GetJsonAsync("/v2/canaries/canaryConfig?application=shop")).AsArray().Select(c => c!["id"]!.GetValue<string>()).ShouldBe([id]);
        (await server.GetJsonAsync($"/v2/canaryConfig/{id}"))["name"]!.GetValue<string>().ShouldBe("checkout");
        // Stored in the server's SQLite document store (behind the audit log's decorator), where the API read it from.
        (await server.Services.GetRequiredService<Mizzen.Persistence.Documents.IDocumentStore>().FindAsync("canary-config:", id, CancellationToken.None)).ShouldNotBeNull();

        var put = await server.Http.PutAsync($"/v2/canaries/canaryConfig/{id}", new StringContent(Config.Replace("\"checkout\"", "\"checkout-2\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.GetJsonAsync($"/v2/canaries/canaryConfig/{id}"))["name"]!.GetValue<string>().ShouldBe("checkout-2");
        (await server.GetJsonAsync($"/v2/canaries/canaryConfig/{id}/history")).AsArray().Count.ShouldBe(2);

        (await server.Http.DeleteAsync($"/v2/canaries/canaryConfig/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await server.Http.GetAsync($"/v2/canaries/canaryConfig/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_standalone_retrospective_canary_runs_as_an_orchestration_and_reports_its_status()
    {
        await using var server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
        var id = JsonNode.Parse(await (await server.PostJsonAsync("/v2/canaries/canaryConfig", Config)).Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var window = $"\"start\":\"{end.AddMinutes(-2):O}\",\"end\":\"{end:O}\",\"step\":10,\"location\":\"local\"";
        var request = "{\"scopes\":{\"default\":{\"controlScope\":{\"scope\":\"shop-v001\"," + window + "},\"experimentScope\":{\"scope\":\"shop-v002\"," + window + "}}},\"thresholds\":{\"pass\":75,\"marginal\":50}}";

        var started = await server.PostJsonAsync($"/v2/canaries/canary/{id}", request);
        var body = await started.Content.ReadAsStringAsync();
        started.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var canaryExecutionId = JsonNode.Parse(body)!["canaryExecutionId"]!.GetValue<string>();

        var status = await Eventually.GetAsync(
            async () =>
            {
                var current = await server.GetJsonAsync($"/v2/canaries/canary/{id}/{canaryExecutionId}");
                return current["complete"]!.GetValue<bool>() ? current : null;
            },
            TimeSpan.FromSeconds(30),
            $"canary run {canaryExecutionId} to complete");

        status["complete"]!.GetValue<bool>().ShouldBeTrue(status.ToJsonString());
        status["canaryConfigId"]!.GetValue<string>().ShouldBe(id);
        status["intervals"]!.AsArray().Count.ShouldBe(1, status.ToJsonString());
        status["reports"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_dry_run_shows_the_embedded_queries_for_each_side()
    {
        await using var server = await RunningServer.StartAsync();
        var id = JsonNode.Parse(await (await server.PostJsonAsync("/v2/canaries/canaryConfig", Config)).Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();
        const string Window = "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-01T00:10:00Z\"";

        var result = await server.PostJsonAsync($"/v2/canaries/canaryConfig/{id}/dryRun?fetch=false", "{\"scopes\":{\"default\":{\"controlScope\":{\"scope\":\"a\"," + Window + "},\"experimentScope\":{\"scope\":\"b\"," + Window + "}}}}");

        result.StatusCode.ShouldBe(HttpStatusCode.OK);
        var metric = JsonNode.Parse(await result.Content.ReadAsStringAsync())!["metrics"]![0]!;
        metric["control"]!["query"]!.GetValue<string>().ShouldBe("embedded:local/a/error_rate{}[step=60s]");
        metric["experiment"]!["query"]!.GetValue<string>().ShouldBe("embedded:local/b/error_rate{}[step=60s]");
    }
}
