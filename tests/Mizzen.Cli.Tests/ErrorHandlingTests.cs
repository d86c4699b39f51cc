using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;

namespace Mizzen.Cli.Tests;

public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task A_server_that_cannot_be_reached_exits_3_and_says_how_to_start_one()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";

        var result = await CliRunner.RunAsync(CliRunner.Settings(), "app", "list", "--server", url);

        result.ExitCode.ShouldBe(3);
        result.Error.ShouldBe($"mizzen: cannot reach Mizzen at {url} — is `./mizzen serve` running?\n");
    }

    [Fact]
    public async Task The_server_url_comes_from_MIZZEN_URL_when_no_flag_is_given()
    {
        await using var gate = await FakeGateServer.StartAsync();
        gate.On("GET", "/applications", new JsonArray());
        var settings = CliRunner.Settings() with { GetEnvironmentVariable = name => name == "MIZZEN_URL" ? gate.Url : null };

        var result = await CliRunner.RunAsync(settings, "app", "list");

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_server_url_that_is_not_http_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(CliRunner.Settings(), "app", "list", "--server", "ftp://example");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("mizzen: 'ftp://example' is not an http(s) URL");
    }

    [Fact]
    public async Task An_error_without_problem_details_is_reported_with_the_status_and_body()
    {
        await using var gate = await FakeGateServer.StartAsync();
        gate.OnRequest("GET", "/applications", async context =>
        {
            context.Response.StatusCode = 502;
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, "upstream down\nstack...", context.RequestAborted);
        });

        var result = await CliRunner.RunAsync(gate, "app", "list");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("mizzen: GET /applications answered 502 BadGateway: upstream down\n");
    }

    [Fact]
    public async Task Aspnet_validation_problem_errors_are_listed_one_per_line()
    {
        await using var gate = await FakeGateServer.StartAsync();
        gate.On("POST", "/applications", new JsonObject
        {
            ["title"] = "One or more validation errors occurred.",
            ["status"] = 400,
            ["errors"] = new JsonObject { ["email"] = new JsonArray("is required", "must be an address") },
        }, 400);

        var result = await CliRunner.RunAsync(gate, "app", "save", "--name", "shop", "--email", "x");

        result.ExitCode.ShouldBe(1);
        result.ErrorLines.ShouldBe(["mizzen: One or more validation errors occurred.", "  email: is required", "  email: must be an address"]);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("app")]
    [InlineData("app", "get")]
    [InlineData("-o", "xml", "app", "list")]
    public async Task A_wrong_command_line_exits_2_with_one_line_on_stderr(params string[] args)
    {
        var result = await CliRunner.RunOfflineAsync(args);

        result.ExitCode.ShouldBe(2);
        result.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("mizzen: ");
        result.Error.ShouldContain("--help`)");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Help_lists_every_command_and_exits_0()
    {
        var result = await CliRunner.RunOfflineAsync("--help");

        result.ExitCode.ShouldBe(0);
        foreach (var command in new[] { "serve", "app", "pipeline", "execution", "expression", "canary" })
        {
            result.Out.ShouldContain($"\n  {command} ");
        }
    }

    [Fact]
    public async Task Serve_run_through_the_cli_binary_points_to_the_launcher()
    {
        var result = await CliRunner.RunOfflineAsync("serve", "--port", "9000");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe("mizzen: `serve` starts the server: run it through the launcher, `./mizzen serve`\n");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
