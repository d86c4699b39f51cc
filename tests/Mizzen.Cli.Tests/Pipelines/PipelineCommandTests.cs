using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;

namespace Mizzen.Cli.Tests.Pipelines;

public sealed class PipelineCommandTests : IAsyncLifetime
{
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Pipeline_list_shows_names_ids_stage_counts_and_triggers()
    {
        gate.On("GET", "/applications/shop/pipelineConfigs", new JsonArray(GateSamples.PipelineConfig("cfg-1", "deploy", stages: 3)));

        var result = await CliRunner.RunAsync(gate, "pipeline", "list", "shop");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            "NAME    ID     STAGES  TRIGGERS  DISABLED  UPDATED",
            "deploy  cfg-1  3       cron      no        -",
        ]);
    }

    [Fact]
    public async Task Pipeline_get_shows_the_config_and_its_stages()
    {
        gate.On("GET", "/applications/shop/pipelineConfigs/deploy", GateSamples.PipelineConfig("cfg-1", "deploy"));

        var result = await CliRunner.RunAsync(gate, "pipeline", "get", "shop", "deploy");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("id:           cfg-1");
        result.Out.ShouldContain("REFID  STAGE    TYPE  REQUIRES\n1      stage 1  wait  -\n");
    }

    [Fact]
    public async Task Pipeline_save_posts_the_file_as_it_is_and_prints_the_saved_id()
    {
        using var files = new TempFiles();
        const string pipeline = """
            {
              // comments and key order stay as written
              "name": "deploy", "application": "shop", "stages": []
            }
            """;
        var file = files.Write("deploy.json", pipeline);
        gate.On("POST", "/pipelines", new JsonObject { ["id"] = "cfg-9", ["name"] = "deploy", ["application"] = "shop" });

        var result = await CliRunner.RunAsync(gate, "pipeline", "save", "-f", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("saved pipeline deploy of shop (id cfg-9)\n");
        gate.Single("POST", "/pipelines").Body.ShouldBe(pipeline);
    }

    [Fact]
    public async Task Pipeline_save_rejected_by_the_server_lists_each_error_under_the_detail()
    {
        using var files = new TempFiles();
        var file = files.Write("bad.json", """{"name": "deploy", "application": "shop", "stages": [{"refId": "1"}, {"refId": "1"}]}""");
        gate.Problem("POST", "/pipelines", 400, "Invalid pipeline", "2 problems in pipeline deploy", new JsonArray(
            new JsonObject { ["location"] = "stages[0].type", ["message"] = "is required" },
            new JsonObject { ["location"] = "stages[1].refId", ["message"] = "duplicate refId '1'" }));

        var result = await CliRunner.RunAsync(gate, "pipeline", "save", "-f", file);

        result.ExitCode.ShouldBe(1);
        result.ErrorLines.ShouldBe([
            "mizzen: 2 problems in pipeline deploy",
            "  stages[0].type: is required",
            "  stages[1].refId: duplicate refId '1'",
        ]);
    }

    [Fact]
    public async Task Pipeline_save_of_a_file_that_is_not_json_is_a_usage_error_and_sends_nothing()
    {
        using var files = new TempFiles();
        var file = files.Write("broken.json", "{\n  \"name\": \"deploy\",\n  stages\n}");

        var result = await CliRunner.RunAsync(gate, "pipeline", "save", "-f", file);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe($"mizzen: {file}: line 3, column 3: not valid JSON: 's' is an invalid start of a property name. Expected a '\"'\n  3 |   stages\n    |   ^\n");
        gate.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Pipeline_delete_uses_gates_application_and_name_path()
    {
        gate.On("DELETE", "/pipelines/shop/deploy now", null, 200);

        var result = await CliRunner.RunAsync(gate, "pipeline", "delete", "shop", "deploy now");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("deleted pipeline deploy now of shop\n");
    }

    [Fact]
    public async Task Pipeline_history_resolves_the_config_id_then_lists_revisions_newest_first()
    {
        gate.On("GET", "/applications/shop/pipelineConfigs/deploy", GateSamples.PipelineConfig("cfg-1", "deploy"));
        gate.On("GET", "/pipelineConfigs/cfg-1/history", new JsonArray(
            new JsonObject { ["revision"] = 2, ["user"] = "ana", ["timestamp"] = GateSamples.T0 + 60_000, ["pipeline"] = GateSamples.PipelineConfig("cfg-1", "deploy", 3) },
            new JsonObject { ["revision"] = 1, ["user"] = "bo", ["timestamp"] = GateSamples.T0, ["pipeline"] = GateSamples.PipelineConfig("cfg-1", "deploy", 2) }));

        var result = await CliRunner.RunAsync(gate, "pipeline", "history", "shop", "deploy", "--limit", "5");

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Requests.Select(r => r.ToString()).ShouldBe([
            "GET /applications/shop/pipelineConfigs/deploy",
            "GET /pipelineConfigs/cfg-1/history?limit=5",
        ]);
        result.OutLines.ShouldBe([
            "REVISION  USER  SAVED                STAGES",
            "2         ana   2026-11-02 09:01:00  3",
            "1         bo    2026-11-02 09:00:00  2",
        ]);
    }

    [Fact]
    public async Task Pipeline_history_with_a_revision_shows_that_revision_of_the_config()
    {
        gate.On("GET", "/applications/shop/pipelineConfigs/deploy", GateSamples.PipelineConfig("cfg-1", "deploy"));
        gate.On("GET", "/pipelineConfigs/cfg-1/history/1", new JsonObject
        {
            ["revision"] = 1, ["user"] = "bo", ["timestamp"] = GateSamples.T0, ["pipeline"] = GateSamples.PipelineConfig("cfg-1", "deploy", 1),
        });

        var result = await CliRunner.RunAsync(gate, "pipeline", "history", "shop", "deploy", "--revision", "1");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldStartWith("revision:  1\nuser:      bo\nsaved:     2026-11-02 09:00:00\n{\n");
        result.Out.ShouldContain("\"waitTime\": 5");
    }

    [Fact]
    public async Task Pipeline_diff_prints_the_unified_diff_between_two_revisions()
    {
        const string diff = "--- revision 1\n+++ revision 2\n@@ -1 +1 @@\n-  \"waitTime\": 5\n+  \"waitTime\": 10\n";
        gate.On("GET", "/applications/shop/pipelineConfigs/deploy", GateSamples.PipelineConfig("cfg-1", "deploy"));
        gate.On("GET", "/pipelineConfigs/cfg-1/diff", new JsonObject { ["from"] = 1, ["to"] = 2, ["diff"] = diff });

        var result = await CliRunner.RunAsync(gate, "pipeline", "diff", "shop", "deploy", "1", "2");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe(diff);
        gate.Requests[^1].Target.ShouldBe("/pipelineConfigs/cfg-1/diff?from=1&to=2");
    }

    [Fact]
    public async Task Pipeline_history_of_a_missing_pipeline_reports_the_servers_error()
    {
        gate.Problem("GET", "/applications/shop/pipelineConfigs/nope", 404, "Not Found", "pipeline nope not found in shop");

        var result = await CliRunner.RunAsync(gate, "pipeline", "history", "shop", "nope");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("mizzen: pipeline nope not found in shop\n");
    }
}
