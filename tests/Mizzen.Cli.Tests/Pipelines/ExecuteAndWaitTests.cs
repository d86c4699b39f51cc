using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Mizzen.Cli.Tests.Fakes;
using static Mizzen.Cli.Tests.Fakes.GateSamples;

namespace Mizzen.Cli.Tests.Pipelines;

/// <summary><c>pipeline execute --wait</c>: following a run over server-sent events, reconnecting, and polling.</summary>
public sealed class ExecuteAndWaitTests : IAsyncLifetime
{
    private const string Id = "01JEXEC";
    private FakeGateServer gate = null!;

    public async Task InitializeAsync()
    {
        gate = await FakeGateServer.StartAsync();
        gate.On("POST", "/pipelines/shop/deploy", new JsonObject { ["ref"] = $"/pipelines/{Id}" }, 202);
    }

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Wait_follows_the_event_stream_and_reconnects_when_it_drops()
    {
        var connections = 0;
        gate.OnRequest("GET", $"/pipelines/{Id}/events", async context =>
        {
            switch (Interlocked.Increment(ref connections))
            {
                case 1:
                    // The stream ends while the run is still going (a proxy timeout, a server restart ...).
                    await SendAsync(context, Execution(Id, "RUNNING", Stage("s1", "Build", "wait", "RUNNING", T0)));
                    return;
                case 2:
                    context.Abort(); // the next attempt is reset before any event
                    return;
            }

            // After reconnecting, the first event is the current state.
            await SendAsync(context, Execution(Id, "RUNNING",
                Stage("s1", "Build", "wait", "SUCCEEDED", T0, T0 + 10_000), Stage("s2", "Deploy", "deploy", "RUNNING", T0 + 10_000)));
            await SendAsync(context, Execution(Id, "SUCCEEDED",
                Stage("s1", "Build", "wait", "SUCCEEDED", T0, T0 + 10_000), Stage("s2", "Deploy", "deploy", "SUCCEEDED", T0 + 10_000, T0 + 65_000)));
        });
        var clock = new AutoAdvancingClock();

        var result = await CliRunner.RunAsync(CliRunner.Settings(clock), "pipeline", "execute", "shop", "deploy", "--wait", "--server", gate.Url);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            Id,
            "09:00:00 Build RUNNING",
            "09:00:10 Build SUCCEEDED",
            "09:00:10 Deploy RUNNING",
            "09:01:05 Deploy SUCCEEDED",
            $"09:01:05 execution {Id} SUCCEEDED",
        ]);
        connections.ShouldBe(3);
        clock.Waits.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]); // back-off grows while attempts fail
    }

    [Fact]
    public async Task Wait_exits_1_and_prints_the_stage_errors_when_the_run_ends_terminal()
    {
        gate.OnRequest("GET", $"/pipelines/{Id}/events", async context =>
        {
            await SendAsync(context, Execution(Id, "RUNNING", Stage("s1", "Deploy", "deploy", "RUNNING", T0)));
            await SendAsync(context, Execution(Id, "TERMINAL",
                Stage("s1", "Deploy", "deploy", "TERMINAL", T0, T0 + 65_000, ErrorContext("image shop:2 not found", "rollout timed out"))));
        });

        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "--wait");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.OutLines.ShouldBe([
            Id,
            "09:00:00 Deploy RUNNING",
            "09:01:05 Deploy TERMINAL",
            $"09:01:05 execution {Id} TERMINAL",
            "errors in Deploy:",
            "  image shop:2 not found",
            "  rollout timed out",
        ]);
    }

    [Fact]
    public async Task Wait_polls_the_execution_every_second_when_the_server_has_no_event_stream()
    {
        var polls = 0;
        gate.OnRequest("GET", $"/pipelines/{Id}", context => FakeGateServer.WriteJsonAsync(context, 200,
            Interlocked.Increment(ref polls) < 3
                ? Execution(Id, "RUNNING", Stage("s1", "Build", "wait", "RUNNING", T0))
                : Execution(Id, "SUCCEEDED", Stage("s1", "Build", "wait", "SUCCEEDED", T0, T0 + 65_000))));
        var clock = new AutoAdvancingClock();

        var result = await CliRunner.RunAsync(CliRunner.Settings(clock), "pipeline", "execute", "shop", "deploy", "--wait", "--server", gate.Url);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([Id, "09:00:00 Build RUNNING", "09:01:05 Build SUCCEEDED", $"09:01:05 execution {Id} SUCCEEDED"]);
        polls.ShouldBe(3);
        clock.Waits.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)]);
    }

    [Fact]
    public async Task Wait_with_json_output_prints_only_the_final_execution_on_stdout_and_progress_on_stderr()
    {
        gate.OnRequest("GET", $"/pipelines/{Id}/events", context =>
            SendAsync(context, Execution(Id, "SUCCEEDED", Stage("s1", "Build", "wait", "SUCCEEDED", T0, T0 + 1_000))));

        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "--wait", "-o", "json");

        result.ExitCode.ShouldBe(0, result.ToString());
        JsonNode.Parse(result.Out)!["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        result.ErrorLines.ShouldBe(["09:00:01 Build SUCCEEDED", $"09:01:05 execution {Id} SUCCEEDED"]);
    }

    [Fact]
    public async Task Wait_gives_up_with_exit_3_when_every_reconnection_fails()
    {
        gate.OnRequest("GET", $"/pipelines/{Id}/events", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        var clock = new AutoAdvancingClock();
        var settings = CliRunner.Settings(clock) with { MaxReconnectAttempts = 3 };

        var result = await CliRunner.RunAsync(settings, "pipeline", "execute", "shop", "deploy", "--wait", "--server", gate.Url);

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Error.ShouldBe($"mizzen: lost Mizzen at {gate.Url} while following execution {Id} — is `./mizzen serve` running?\n");
        clock.Waits.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)]);
    }

    private static async Task SendAsync(HttpContext context, JsonObject execution)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.ContentType = "text/event-stream";
        }

        await context.Response.WriteAsync($"event: execution\ndata: {execution.ToJsonString()}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
