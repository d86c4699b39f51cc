using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Docs;

/// <summary>
/// The README's commands, run as written against a real server: each exits 0 and prints what the README promises. A command added to
/// the README without an expectation here fails the test, so the two are kept together.
/// Runs "Work with your own pipelines" in full, and the tour's first block (what the demo has deployed). The tour's later blocks are left
/// out: they wait for a person (the judgment) or for minutes (the canary); DemoEndToEndTests and CanaryDemoEndToEndTests run those flows.
/// </summary>
public sealed class ReadmeCommandTests
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_readme_commands_for_your_own_pipelines_run_against_a_real_server_with_the_shipped_samples()
    {
        var commands = ReadmeCommands.BlockAfter("Work with your own pipelines");
        commands.Count.ShouldBeGreaterThanOrEqualTo(6);
        await using var server = await RunningServer.StartAsync();

        var results = await ReadmeCommands.RunAsync(commands, server.Url, Within);

        Check(results, new Dictionary<string, string[]>
        {
            ["./mizzen app save"] = ["saved application shop"],
            ["./mizzen pipeline validate -f samples/my-pipeline.json"] = ["valid"],
            ["./mizzen pipeline save -f samples/my-pipeline.json"] = ["saved pipeline My pipeline of shop"],
            ["./mizzen pipeline execute shop \"My pipeline\""] = ["Check the target SUCCEEDED", "SUCCEEDED"],
            ["./mizzen pipeline history shop \"My pipeline\""] = ["REVISION", "anonymous"],
            ["./mizzen expression eval --context samples/ctx.json"] = ["\"result\": true"],
        });
    }

    [Fact]
    [Trait("Category", "Demo")]
    public async Task The_tours_first_commands_show_what_the_demo_deployed()
    {
        var commands = ReadmeCommands.BlockAfter("With `./mizzen serve --demo` running");
        var bundles = await DemoBundles.FolderAsync();
        await using var server = await RunningServer.StartAsync(demo: true, [("staging", "24400-24499"), ("prod", "24500-24599")],
            data => DemoBundles.CopyInto(bundles, data));
        await server.Logs.WaitForAsync(l => l.EventId == 8100 && l.Message.Contains("Mizzen demo is ready.", StringComparison.Ordinal),
            TimeSpan.FromMinutes(2), "the demo's welcome");

        // The welcome comes once the first deploy has started; a reader types the tour's commands seconds later, by which time v1 runs.
        // On a loaded machine the deploy can take longer than the test's next step, so wait for both clusters as the reader would.
        await Eventually.GetAsync(async () =>
        {
            var clusters = (await server.GetJsonAsync("/applications/demo/clusters")).ToJsonString();
            return clusters.Contains("demo-prod", StringComparison.Ordinal) && clusters.Contains("demo-staging", StringComparison.Ordinal) ? clusters : null;
        }, TimeSpan.FromMinutes(2), "the demo's first deploy in staging and prod");

        // The README names the default address; this server listens on a free port.
        var results = await ReadmeCommands.RunAsync([.. commands.Select(c => c.Replace("http://127.0.0.1:8084", server.Url.ToString().TrimEnd('/'), StringComparison.Ordinal))],
            server.Url, Within);

        Check(results, new Dictionary<string, string[]>
        {
            ["./mizzen app list"] = ["demo"],
            ["./mizzen pipeline list demo"] = ["deploy", "rollback"],
            ["./mizzen cluster list demo"] = ["demo-prod", "demo-staging"],
            ["curl -s "] = ["\"name\":\"demo-prod-lb\"", "\"url\":"],
        });
    }

    /// <summary>Every command exits 0 and prints each expected text of the longest prefix it starts with.</summary>
    private static void Check(IReadOnlyList<CommandResult> results, IReadOnlyDictionary<string, string[]> expected)
    {
        foreach (var result in results)
        {
            result.Exit.ShouldBe(0, $"`{result.Command}` failed:\n{result.Output}");
            var prefix = expected.Keys.Where(k => result.Command.StartsWith(k, StringComparison.Ordinal)).MaxBy(k => k.Length)
                         ?? throw new ShouldAssertException($"README command `{result.Command}` has no expected output in {nameof(ReadmeCommandTests)}: add one");
            foreach (var text in expected[prefix])
            {
                result.Output.ShouldContain(text, customMessage: $"`{result.Command}` printed:\n{result.Output}");
            }
        }
    }
}
