using System.Text.Json.Nodes;
using Mizzen.Testing;

namespace Mizzen.Cli.Tests.Canary;

/// <summary><c>canary judge</c> with Kayenta's own sample Prometheus config (shared/compat), offline.</summary>
public sealed class CanaryJudgeTests : IDisposable
{
    private readonly TempFiles files = new();
    private readonly string config = CompatData.PathOf("canary-configs", "kayenta-scratch-prometheus_canary_config.json");
    private readonly string control;

    public CanaryJudgeTests() => control = files.Write("control.json", Series(10));

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task A_canary_with_tripled_cpu_fails_and_the_table_says_why()
    {
        var experiment = files.Write("experiment.json", Series(30));

        var result = await CliRunner.RunOfflineAsync("canary", "judge", "--config", config, "--control", control, "--experiment", experiment);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines[0].ShouldBe("Canary score 0 -> Fail (pass >= 95, fail <= 75)");
        result.Out.ShouldContain("cpu     High");
    }

    [Fact]
    public async Task Json_output_carries_score_classification_and_the_given_thresholds()
    {
        var experiment = files.Write("experiment.json", Series(10));

        var result = await CliRunner.RunOfflineAsync("canary", "judge", "--config", config, "--control", control, "--experiment", experiment,
            "--thresholds", "90,60", "-o", "json");

        result.ExitCode.ShouldBe(0, result.ToString());
        var json = JsonNode.Parse(result.Out)!;
        json["classification"]!.GetValue<string>().ShouldBe("Pass");
        json["score"]!.GetValue<double>().ShouldBe(100);
        json["thresholds"]!["marginal"]!.GetValue<double>().ShouldBe(60);
    }

    [Fact]
    public async Task Thresholds_with_marginal_above_pass_are_a_usage_error()
    {
        var result = await CliRunner.RunOfflineAsync("canary", "judge", "--config", config, "--control", control, "--experiment", control, "--thresholds", "50,75");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("mizzen: --thresholds");
    }

    [Fact]
    public async Task Data_for_a_metric_the_config_does_not_define_is_reported_with_exit_1()
    {
        var experiment = files.Write("experiment.json", """{"memory": [1, 2, 3]}""");

        var result = await CliRunner.RunOfflineAsync("canary", "judge", "--config", config, "--control", control, "--experiment", experiment);

        result.ExitCode.ShouldBe(1);
        result.ErrorLines[0].ShouldStartWith("mizzen: the data has metric 'memory'");
        result.ErrorLines[1].ShouldStartWith("  memory: ");
    }

    private static string Series(int level) =>
        new JsonObject { ["cpu"] = new JsonArray(Enumerable.Range(0, 60).Select(i => (JsonNode?)(level + (i % 3))).ToArray()) }.ToJsonString();
}
