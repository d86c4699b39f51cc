namespace Mizzen.Cli.Tests.Pipelines;

/// <summary><c>pipeline validate</c> runs the engine's validator offline: no server is given or needed.</summary>
public sealed class PipelineValidateTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task A_valid_pipeline_prints_valid_and_exits_0()
    {
        var file = files.Write("ok.json", """
            {"application": "shop", "name": "deploy", "parameterConfig": [{"name": "delay"}], "stages": [
              {"refId": "1", "requisiteStageRefIds": [], "type": "wait", "name": "Pause", "waitTime": 5},
              {"refId": "2", "requisiteStageRefIds": ["1"], "type": "wait", "name": "Again", "waitTime": "${parameters.delay}"}
            ]}
            """);

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("valid\n");
    }

    [Fact]
    public async Task Every_problem_is_printed_as_location_and_message_with_exit_1()
    {
        var file = files.Write("bad.json", """
            {"application": "shop", "name": "deploy", "stages": [
              {"refId": "1", "requisiteStageRefIds": [], "type": "wait", "name": "A", "waitTime": 5},
              {"refId": "1", "requisiteStageRefIds": ["9"], "type": "wait", "name": "B", "waitTime": 5}
            ]}
            """);

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.OutLines.Length.ShouldBeGreaterThanOrEqualTo(2); // the duplicate refId and the requisite pointing nowhere
        result.OutLines.ShouldAllBe(line => line.Contains(": "));
        result.Out.ShouldContain("9");
    }

    [Fact]
    public async Task A_file_that_is_not_json_is_reported_with_its_line()
    {
        var file = files.Write("broken.json", "{\n  \"name\": \"deploy\",\n  stages\n}");

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Out.ShouldContain("line 3");
    }

    [Fact]
    public async Task Json_output_lists_the_problems_as_location_and_message_objects()
    {
        var file = files.Write("bad.json", """{"application": "shop", "name": "deploy", "stages": [{"refId": "1", "type": "noSuchStage"}]}""");

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file, "-o", "json");

        result.ExitCode.ShouldBe(1, result.ToString());
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        json["valid"]!.GetValue<bool>().ShouldBeFalse();
        json["errors"]![0]!["message"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Warnings_alone_are_printed_and_exit_0()
    {
        var file = files.Write("warn.json", """
            {"application": "shop", "name": "deploy", "name": "deploy",
             "triggers": [{"type": "travis", "enabled": true}],
             "stages": [{"refId": "1", "type": "wait", "waitTime": 5}]}
            """);

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            "warning: line 1, column 43: duplicate key 'name' at name (first on line 1): the last value is used, as Spinnaker does",
            "warning: triggers[0]: trigger 'travis' is not supported yet: this pipeline can only be started by hand",
            "valid, with 2 warnings",
        ]);
    }

    [Fact]
    public async Task Json_output_separates_errors_from_warnings()
    {
        var file = files.Write("mixed.json", """
            {"application": "shop", "name": "deploy", "triggers": [{"type": "travis"}],
             "stages": [{"refId": "1", "type": "deploy", "clusters": [{"cloudProvider": "aws", "account": "prod"}]}]}
            """);

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file, "-o", "json");

        result.ExitCode.ShouldBe(1, result.ToString());
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        json["valid"]!.GetValue<bool>().ShouldBeFalse();
        json["errors"]!.AsArray().ShouldContain(e => e!["message"]!.GetValue<string>().StartsWith("cloud provider 'aws' is not available in Mizzen"));
        json["warnings"]!.AsArray().Select(w => w!["location"]!.GetValue<string>()).ShouldBe(["triggers[0]"]);
    }

    [Fact]
    public async Task A_repeated_key_in_a_parameters_file_is_a_warning_on_stderr()
    {
        var file = files.Write("context.json", "{\"a\": 1,\n \"a\": 2}");

        var result = await CliRunner.RunOfflineAsync("expression", "eval", "--context", file, "--expression", "a");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Error.ShouldStartWith($"mizzen: {file}: warning: line 2, column 2: duplicate key 'a'");
        result.Out.ShouldContain("2");
    }
}
