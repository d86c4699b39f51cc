using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Cli;

/// <summary>
/// <c>pipeline execute --wait</c> against the real server: a canary stage's intervals and scores are printed as the stage records
/// them, and a manual judgment prints the command that answers it, which works, while <c>--wait</c> keeps following the run.
/// </summary>
public sealed partial class CliWaitProgressTests : IAsyncLifetime
{
    private const string Config = """
        {"name":"checkout","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"},"analysisConfigurations":{"canary":{"direction":"increase","nanStrategy":"replace"}}}],
         "classifier":{"groupWeights":{"e":100}}}
        """;

    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Wait_prints_the_canary_intervals_and_the_judge_command_that_then_lets_the_run_finish()
    {
        await server.CreateApplicationAsync("shop");
        var created = await server.PostJsonAsync("/v2/canaries/canaryConfig", Config);
        var configId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();
        (await server.PostJsonAsync("/pipelines", Pipeline(configId).ToJsonString())).EnsureSuccessStatusCode();
        var stdout = new SharedWriter();
        var stderr = new SharedWriter();

        var waiting = Mizzen.Cli.Cli.RunAsync(["pipeline", "execute", "shop", "canary", "--wait", "--server", Server], stdout, stderr);
        var command = await Eventually.GetAsync(() =>
        {
            waiting.IsCompleted.ShouldBeFalse($"--wait ended before the judgment: {stdout}{stderr}");
            return Task.FromResult(stdout.ToString().Split('\n').Select(l => JudgeCommand().Match(l.Trim())).FirstOrDefault(m => m.Success));
        }, TimeSpan.FromSeconds(60), "--wait to print the judge command");
        var judge = await RunAsync("execution", "judge", command.Groups["id"].Value, command.Groups["stage"].Value, "--continue", "--input", "ship");
        var exit = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        judge.Exit.ShouldBe(0, judge.Err);
        exit.ShouldBe(0, stdout + stderr.ToString());
        var lines = stdout.ToString().Split('\n').Select(l => l.Length > 9 ? l[9..] : l).ToList(); // without the HH:mm:ss
        lines.ShouldContain(l => l.StartsWith("Canary: interval 3 of 3 judged, latest score ", StringComparison.Ordinal));
        lines.IndexOf(lines.First(l => l.StartsWith("Canary: interval 3 of 3 judged", StringComparison.Ordinal))).ShouldBeLessThan(lines.IndexOf("Canary SUCCEEDED"));
        lines.ShouldContain("Ship it? waits for a judgment; answer it with:");
        stdout.ToString().ShouldContain($"./mizzen execution judge {command.Groups["id"].Value} \"Ship it?\" --stop");
        stdout.ToString().ShouldContain("add --input with one of: \"ship\", \"hold\"");
        lines.ShouldContain("Ship it? SUCCEEDED");
    }

    private string Server => server.Url.ToString().TrimEnd('/');

    /// <summary>Three one-minute intervals of a window that has passed (judged one after another at once), then a judgment.</summary>
    private static JsonObject Pipeline(string configId)
    {
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var scope = new JsonObject
        {
            ["scopeName"] = "default",
            ["controlScope"] = "shop-v001",
            ["controlLocation"] = "local",
            ["experimentScope"] = "shop-v002",
            ["experimentLocation"] = "local",
            ["startTimeIso"] = end.AddMinutes(-3).ToString("O"),
            ["endTimeIso"] = end.ToString("O"),
            ["step"] = 10,
        };
        return new JsonObject
        {
            ["application"] = "shop",
            ["name"] = "canary",
            ["stages"] = new JsonArray(
                new JsonObject
                {
                    ["refId"] = "1",
                    ["type"] = "kayentaCanary",
                    ["name"] = "Canary",
                    ["analysisType"] = "retrospective",
                    ["canaryConfig"] = new JsonObject
                    {
                        ["canaryConfigId"] = configId,
                        ["scopes"] = new JsonArray(scope),
                        ["canaryAnalysisIntervalMins"] = 1,
                        ["scoreThresholds"] = new JsonObject { ["pass"] = 75, ["marginal"] = 50 },
                    },
                },
                new JsonObject
                {
                    ["refId"] = "2",
                    ["requisiteStageRefIds"] = new JsonArray("1"),
                    ["type"] = "manualJudgment",
                    ["name"] = "Ship it?",
                    ["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "ship" }, new JsonObject { ["value"] = "hold" }),
                }),
        };
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Mizzen.Cli.Cli.RunAsync([.. args, "--server", Server], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [GeneratedRegex("""^\./mizzen execution judge (?<id>\S+) "(?<stage>[^"]+)" --continue$""")]
    private static partial Regex JudgeCommand();
}
