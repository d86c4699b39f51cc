using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;

namespace Mizzen.Cli.Tests.Applications;

public sealed class ApplicationCommandTests : IAsyncLifetime
{
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task App_list_prints_a_table_sorted_by_name()
    {
        gate.On("GET", "/applications", new JsonArray(
            new JsonObject { ["name"] = "shop", ["email"] = "shop@example.com", ["description"] = "the shop" },
            new JsonObject { ["name"] = "billing", ["email"] = "bill@example.com" }));

        var result = await CliRunner.RunAsync(gate, "app", "list");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            "NAME     EMAIL             DESCRIPTION",
            "billing  bill@example.com  -",
            "shop     shop@example.com  the shop",
        ]);
    }

    [Fact]
    public async Task App_list_with_json_output_prints_what_the_server_returned()
    {
        gate.On("GET", "/applications", new JsonArray(new JsonObject { ["name"] = "shop", ["extra"] = 1 }));

        var result = await CliRunner.RunAsync(gate, "app", "list", "-o", "json");

        result.ExitCode.ShouldBe(0, result.ToString());
        JsonNode.DeepEquals(JsonNode.Parse(result.Out), new JsonArray(new JsonObject { ["name"] = "shop", ["extra"] = 1 })).ShouldBeTrue(result.Out);
        result.Out.ShouldContain("\n  {"); // indented
    }

    [Fact]
    public async Task App_get_shows_the_application_fields()
    {
        gate.On("GET", "/applications/shop", new JsonObject
        {
            ["name"] = "shop", ["email"] = "shop@example.com", ["createTs"] = GateSamples.T0, ["lastModifiedBy"] = "ana",
        });

        var result = await CliRunner.RunAsync(gate, "app", "get", "shop");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            "name:              shop",
            "email:             shop@example.com",
            "created:           2026-11-02 09:00:00",
            "last modified by:  ana",
        ]);
    }

    [Fact]
    public async Task App_save_from_flags_posts_the_application_json()
    {
        gate.On("POST", "/applications", new JsonObject { ["name"] = "shop", ["email"] = "shop@example.com" });

        var result = await CliRunner.RunAsync(gate, "app", "save", "--name", "shop", "--email", "shop@example.com", "--description", "the shop");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("saved application shop\n");
        var body = JsonNode.Parse(gate.Single("POST", "/applications").Body);
        JsonNode.DeepEquals(body, new JsonObject { ["name"] = "shop", ["email"] = "shop@example.com", ["description"] = "the shop" }).ShouldBeTrue(body?.ToJsonString());
    }

    [Fact]
    public async Task App_save_from_a_file_posts_the_file_content()
    {
        using var files = new TempFiles();
        var file = files.Write("app.json", """{"name": "shop", "email": "shop@example.com", "permissions": {"READ": ["dev"]}}""");
        gate.On("POST", "/applications", null);

        var result = await CliRunner.RunAsync(gate, "app", "save", "-f", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        JsonNode.Parse(gate.Single("POST", "/applications").Body)!["permissions"]!["READ"]![0]!.GetValue<string>().ShouldBe("dev");
    }

    [Fact]
    public async Task App_save_without_a_file_or_a_name_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(gate, "app", "save", "--email", "x@example.com");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe("mizzen: app save needs -f FILE, or --name and --email\n");
        gate.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task App_get_of_a_missing_application_prints_the_problem_detail_and_exits_1()
    {
        gate.Problem("GET", "/applications/nope", 404, "Not Found", "application nope does not exist");

        var result = await CliRunner.RunAsync(gate, "app", "get", "nope");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("mizzen: application nope does not exist\n");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task App_delete_sends_delete_to_the_application()
    {
        gate.On("DELETE", "/applications/shop", null, 204);

        var result = await CliRunner.RunAsync(gate, "app", "delete", "shop");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("deleted application shop\n");
        gate.Requests.ShouldHaveSingleItem().ToString().ShouldBe("DELETE /applications/shop");
    }

    [Fact]
    public async Task The_user_flag_is_sent_as_the_X_Mizzen_User_header()
    {
        gate.On("GET", "/applications", new JsonArray());

        await CliRunner.RunAsync(gate, "app", "list", "--user", "ana");

        gate.Single("GET", "/applications").Headers["X-Mizzen-User"].ShouldBe("ana");
    }
}
