using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Cli;

/// <summary>The real CLI against the real server on 127.0.0.1.</summary>
public sealed class CliAgainstServerTests : IAsyncLifetime
{
    private RunningServer server = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        folder = Directory.CreateTempSubdirectory("mizzen-cli-").FullName;
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Mizzen.Cli.Cli.RunAsync([.. args, "--server", server.Http.BaseAddress!.ToString().TrimEnd('/')], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_pipeline_saved_with_warnings_prints_them_on_stderr_and_exits_zero()
    {
        (await RunAsync("app", "save", "--name", "shop", "--email", "team@example.com")).Exit.ShouldBe(0);
        var file = WriteFile("p.json", """
            {"application":"shop","name":"nightly","triggers":[{"type":"travis","master":"ci","job":"build"}],
             "stages":[{"refId":"1","type":"wait","waitTime":1}]}
            """);

        var saved = await RunAsync("pipeline", "save", "-f", file);

        saved.Exit.ShouldBe(0, saved.Err);
        saved.Err.ShouldBe("mizzen: warning: triggers[0]: trigger 'travis' is not supported yet: this pipeline can only be started by hand\n");
        saved.Out.ShouldStartWith("saved pipeline nightly of shop");
    }

    [Fact]
    public async Task A_pipeline_saved_and_executed_with_wait_exits_zero_when_it_succeeds()
    {
        (await RunAsync("app", "save", "--name", "shop", "--email", "team@example.com")).Exit.ShouldBe(0);
        var file = WriteFile("p.json", """
            {"application":"shop","name":"deploy","parameterConfig":[{"name":"env","required":true}],
             "stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"where","value":"${parameters.env}"}]}]}
            """);
        (await RunAsync("pipeline", "validate", "-f", file)).Exit.ShouldBe(0);
        (await RunAsync("pipeline", "save", "-f", file)).Exit.ShouldBe(0);
        (await RunAsync("pipeline", "list", "shop")).Out.ShouldContain("deploy");

        var run = await RunAsync("pipeline", "execute", "shop", "deploy", "-p", "env=prod", "--wait");
        run.Exit.ShouldBe(0, run.Err + run.Out);
        run.Out.ShouldContain("SUCCEEDED");

        var list = await RunAsync("execution", "list", "shop", "-o", "json");
        list.Exit.ShouldBe(0);
        JsonNode.Parse(list.Out)!.AsArray().Single()!["stages"]![0]!["outputs"]!["where"]!.GetValue<string>().ShouldBe("prod");
    }

    [Fact]
    public async Task A_run_that_fails_makes_wait_exit_non_zero()
    {
        await RunAsync("app", "save", "--name", "shop", "--email", "team@example.com");
        var file = WriteFile("bad.json", """
            {"application":"shop","name":"gate","stages":[{"refId":"1","type":"checkPreconditions","name":"check",
              "preconditions":[{"type":"expression","context":{"expression":"${1 == 2}"},"failPipeline":true}]}]}
            """);
        (await RunAsync("pipeline", "save", "-f", file)).Exit.ShouldBe(0);
        var run = await RunAsync("pipeline", "execute", "shop", "gate", "--wait");
        run.Exit.ShouldBe(1);
        run.Out.ShouldContain("TERMINAL");
    }

    [Fact]
    public async Task A_manual_judgment_is_given_from_the_cli_by_stage_name()
    {
        await RunAsync("app", "save", "--name", "shop", "--email", "team@example.com");
        var file = WriteFile("gated.json", """{"application":"shop","name":"gated","stages":[{"refId":"1","type":"manualJudgment","name":"Approve"}]}""");
        (await RunAsync("pipeline", "save", "-f", file)).Exit.ShouldBe(0);
        var started = await RunAsync("pipeline", "execute", "shop", "gated");
        started.Exit.ShouldBe(0);
        var id = started.Out.Trim().Split(' ', '\n').Last(w => w.Length == 26);
        await server.WaitForAsync(id, e => e["stages"]![0]!["status"]!.GetValue<string>() == "RUNNING");

        (await RunAsync("execution", "judge", id, "Approve", "--continue", "--user", "carol")).Exit.ShouldBe(0);

        var done = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "SUCCEEDED", TimeSpan.FromSeconds(10));
        done["stages"]![0]!["outputs"]!["judgedBy"]!.GetValue<string>().ShouldBe("carol");
    }

    [Fact]
    public async Task Server_errors_are_one_line_on_stderr_with_a_non_zero_exit()
    {
        var missing = await RunAsync("pipeline", "execute", "nowhere", "nothing");
        missing.Exit.ShouldBe(1);
        missing.Err.ShouldContain("mizzen: ");
        missing.Err.ShouldContain("'nowhere'");
        missing.Out.ShouldBeEmpty();
    }
}
