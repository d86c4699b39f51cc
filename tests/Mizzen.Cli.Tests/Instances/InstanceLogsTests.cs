using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;

namespace Mizzen.Cli.Tests.Instances;

/// <summary><c>mizzen instance logs</c>: a tail, then (with <c>-f</c>) follow-ups from the last offset until interrupted.</summary>
public sealed class InstanceLogsTests : IAsyncLifetime
{
    private const string LogPath = "/instances/prod/demo-prod-v001-i1/logs";
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Logs_prints_the_tail_of_stdout()
    {
        gate.On("GET", LogPath, Chunk("line 1\nline 2\n", 0, 14));

        var result = await CliRunner.RunAsync(gate, "instance", "logs", "prod", "demo-prod-v001-i1", "--tail", "2");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("line 1\nline 2\n");
        gate.Requests.Single().Query.ShouldBe("?stream=stdout&tail=2");
    }

    [Fact]
    public async Task Logs_of_stderr_ask_for_the_stderr_stream()
    {
        gate.On("GET", LogPath, Chunk("oops\n", 0, 5));

        var result = await CliRunner.RunAsync(gate, "instance", "logs", "prod", "demo-prod-v001-i1", "--stderr");

        result.Out.ShouldBe("oops\n");
        gate.Requests.Single().Query.ShouldBe("?stream=stderr&tail=100");
    }

    [Fact]
    public async Task Follow_asks_from_each_next_offset_until_interrupted()
    {
        using var interrupt = new CancellationTokenSource();
        var calls = 0;
        gate.OnRequest("GET", LogPath, context =>
        {
            var chunk = Interlocked.Increment(ref calls) switch
            {
                1 => Chunk("a\n", 0, 2),
                2 => Chunk("", 2, 2),
                3 => Chunk("b\n", 2, 4),
                _ => Chunk("", 4, 4),
            };
            if (calls >= 4)
            {
                interrupt.Cancel();
            }

            return FakeGateServer.WriteJsonAsync(context, 200, chunk);
        });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await Cli.RunAsync(["instance", "logs", "prod", "demo-prod-v001-i1", "-f", "--server", gate.Url], stdout, stderr, CliRunner.Settings(), interrupt.Token);

        exit.ShouldBe(ExitCodes.Interrupted);
        stdout.ToString().ShouldBe("a\nb\n");
        gate.Requests.Select(r => r.Query).Take(4).ShouldBe(["?stream=stdout&tail=100", "?stream=stdout&offset=2", "?stream=stdout&offset=2", "?stream=stdout&offset=4"]);
    }

    [Fact]
    public async Task An_unknown_instance_prints_the_servers_message()
    {
        gate.Problem("GET", LogPath, 404, "Not found", "account 'prod' has no instance 'demo-prod-v001-i1'");

        var result = await CliRunner.RunAsync(gate, "instance", "logs", "prod", "demo-prod-v001-i1");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("has no instance");
    }

    private static JsonObject Chunk(string text, long offset, long next) => new()
    {
        ["account"] = "prod", ["instanceId"] = "demo-prod-v001-i1", ["stream"] = "stdout", ["text"] = text, ["offset"] = offset, ["nextOffset"] = next, ["truncated"] = false,
    };
}
