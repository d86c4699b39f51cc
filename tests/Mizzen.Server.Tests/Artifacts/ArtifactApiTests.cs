using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Artifacts;

/// <summary>Artifacts on the real server: Gate's artifact accounts route, and manual runs that pass artifacts to bind.</summary>
public sealed class ArtifactApiTests : IAsyncLifetime
{
    private const string Token = "ghp_never_shown_0123456789";
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync(demo: false, [("local", "21300-21349")], data =>
        {
            var file = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            settings["Mizzen"]!["Artifacts"] = JsonNode.Parse($$"""
                {"Accounts":[{"name":"acme-github","types":["github/file"],"token":"{{Token}}","baseUrl":"https://github.acme.example/api/v3"}]}
                """);
            File.WriteAllText(file, settings.ToJsonString());
        });
        await server.CreateApplicationAsync("shop");
        var saved = await server.PostJsonAsync("/pipelines", """
            {"application":"shop","name":"deploy",
             "expectedArtifacts":[{"id":"image","displayName":"shop image","matchArtifact":{"type":"docker/image","name":"registry.example/shop"}}],
             "stages":[{"refId":"1","type":"evaluateVariables","name":"vars",
                        "variables":[{"key":"tag","value":"${#triggerResolvedArtifact('registry.example/shop')['version']}"}]}]}
            """);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Artifact_credentials_lists_each_accounts_name_and_types_and_never_a_secret()
    {
        using var response = await server.Http.GetAsync("/artifacts/credentials");
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var accounts = JsonNode.Parse(text)!.AsArray();
        accounts[0]!.ToJsonString().ShouldBe("""{"name":"acme-github","types":["github/file"]}""");
        accounts.Select(a => a!["name"]!.GetValue<string>()).ShouldContain("embedded-artifact");
        accounts.Select(a => a!["name"]!.GetValue<string>()).ShouldContain("no-auth-http-account");
        text.ShouldNotContain(Token);
        text.ShouldNotContain("github.acme.example");
    }

    [Fact]
    public async Task A_manual_run_with_artifacts_binds_the_expected_artifact_it_names()
    {
        var (status, answer) = await server.SendAsync(HttpMethod.Post, "/pipelines/shop/deploy", JsonNode.Parse("""
            {"type":"manual","expectedArtifactIds":["image"],
             "artifacts":[{"type":"docker/image","name":"registry.example/shop","version":"1.4.2","reference":"registry.example/shop:1.4.2"}]}
            """));

        status.ShouldBe(202, answer?.ToJsonString());
        var id = answer!["ref"]!.GetValue<string>().Split('/')[^1];
        var run = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL");
        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        run["trigger"]!["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!["version"]!.GetValue<string>().ShouldBe("1.4.2");
        run["stages"]![0]!["outputs"]!["tag"]!.GetValue<string>().ShouldBe("1.4.2");
    }

    [Theory]
    [InlineData("""{"artifacts":[{"type":"docker/image","name":"a"}, "registry.example/shop:1"]}""", "artifacts[1]")]
    [InlineData("""{"artifacts":[{"name":"registry.example/shop"}]}""", "artifacts[0].type")]
    [InlineData("""{"artifacts":{"type":"docker/image"}}""", "artifacts")]
    [InlineData("""{"expectedArtifactIds":[7]}""", "expectedArtifactIds[0]")]
    public async Task Bad_artifacts_in_a_manual_run_are_a_400_naming_them_and_start_nothing(string body, string named)
    {
        var (status, problem) = await server.SendAsync(HttpMethod.Post, "/pipelines/shop/deploy", JsonNode.Parse(body));

        status.ShouldBe(400);
        problem!.ToJsonString().ShouldContain(named);
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_artifact_no_expected_artifact_matches_is_a_400_naming_the_expected_artifact()
    {
        var (status, problem) = await server.SendAsync(HttpMethod.Post, "/pipelines/shop/deploy", JsonNode.Parse("""
            {"expectedArtifactIds":["image"],"artifacts":[{"type":"docker/image","name":"registry.example/other","version":"1"}]}
            """));

        status.ShouldBe(400);
        problem!.ToJsonString().ShouldContain("expectedArtifacts[0]");
    }
}
