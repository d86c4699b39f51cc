using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;

namespace Mizzen.Cli.Tests.Pipelines;

public sealed class PipelineExecuteTests : IAsyncLifetime
{
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Execute_posts_a_manual_trigger_with_file_and_flag_parameters_and_prints_the_execution_id()
    {
        using var files = new TempFiles();
        var parameters = files.Write("params.json", """{"env": "staging", "replicas": 3}""");
        gate.On("POST", "/pipelines/shop/deploy", new JsonObject { ["ref"] = "/pipelines/01JEXEC" }, 202);

        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "-f", parameters, "-p", "env=prod", "-p", "note=a=b");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("01JEXEC\n");
        var body = JsonNode.Parse(gate.Single("POST", "/pipelines/shop/deploy").Body);
        JsonNode.DeepEquals(body, JsonNode.Parse("""{"type":"manual","parameters":{"env":"prod","replicas":3,"note":"a=b"}}""")).ShouldBeTrue(body?.ToJsonString());
    }

    [Fact]
    public async Task Execute_with_json_output_prints_the_servers_answer()
    {
        gate.On("POST", "/pipelines/shop/deploy", new JsonObject { ["ref"] = "/pipelines/01JEXEC" }, 202);

        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "-o", "json");

        result.Out.ShouldBe("{\n  \"ref\": \"/pipelines/01JEXEC\"\n}\n");
    }

    [Fact]
    public async Task Execute_with_a_parameter_that_is_not_key_equals_value_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "-p", "env");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe("mizzen: -p env: write a parameter as key=value\n");
        gate.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Execute_missing_a_required_parameter_shows_the_servers_problem()
    {
        gate.Problem("POST", "/pipelines/shop/deploy", 400, "Bad Request", "pipeline deploy requires parameter 'env'");

        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("mizzen: pipeline deploy requires parameter 'env'\n");
    }
}
