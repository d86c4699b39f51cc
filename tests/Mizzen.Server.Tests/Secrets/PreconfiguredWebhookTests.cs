using System.Net;
using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Secrets;

/// <summary>
/// The Teletraan sample (samples/secrets/teletraan.mizzen.json) as operators configure it: a stage type of its own, in the catalogue and
/// in validation, whose token goes to the fake Teletraan on loopback and nowhere else.
/// </summary>
public sealed class PreconfiguredWebhookTests : IAsyncLifetime
{
    private SecretTestServer secrets = null!;

    private Infrastructure.RunningServer Server => secrets.Server;

    public async Task InitializeAsync()
    {
        secrets = await SecretTestServer.StartAsync();
        await Server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync() => await secrets.DisposeAsync();

    private static JsonObject Pipeline(JsonObject parameterValues, JsonObject? extra = null)
    {
        var stage = new JsonObject { ["refId"] = "1", ["type"] = "teletraanDeploy", ["name"] = "Deploy", ["parameterValues"] = parameterValues };
        foreach (var (key, value) in extra ?? [])
        {
            stage[key] = value?.DeepClone();
        }

        return new JsonObject { ["application"] = "shop", ["name"] = "teletraan", ["stages"] = new JsonArray(stage) };
    }

    [Fact]
    public async Task The_catalogue_lists_the_stage_type_with_its_parameters_and_without_its_url_or_token()
    {
        var list = await Server.GetJsonAsync("/webhooks/preconfigured");

        var hook = list.AsArray().ShouldHaveSingleItem()!;
        hook["type"]!.GetValue<string>().ShouldBe("teletraanDeploy");
        hook["label"]!.GetValue<string>().ShouldBe("Teletraan: deploy");
        hook["waitForCompletion"]!.GetValue<bool>().ShouldBeTrue();
        hook["parameters"]!.AsArray().Select(p => $"{p!["name"]}:{p["required"]}").ShouldBe(["env:true", "stage:false", "buildId:true"]);
        hook["preconfiguredProperties"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldContain("customHeaders");
        hook["problems"]!.AsArray().ShouldBeEmpty();
        list.ToJsonString().ShouldNotContain(secrets.Teletraan.BaseUrl.TrimEnd('/'));
        list.ToJsonString().ShouldNotContain(SecretTestServer.OperatorToken);
    }

    [Fact]
    public async Task Validation_names_an_unknown_parameter_and_a_missing_required_one_and_warns_about_fields_the_operator_sets()
    {
        var refused = await Server.PostJsonAsync("/pipelines", Pipeline(new JsonObject { ["env"] = "shop", ["colour"] = "blue" }).ToJsonString());
        var warned = await Server.PostJsonAsync("/pipelines/validate",
            Pipeline(new JsonObject { ["env"] = "shop", ["buildId"] = "b-1" }, new JsonObject { ["url"] = "https://elsewhere.example/" }).ToJsonString());

        var text = await refused.Content.ReadAsStringAsync();
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        text.ShouldContain("stages[0].parameterValues.colour: 'teletraanDeploy' (Teletraan: deploy) has no parameter 'colour'; its parameters are env, stage, buildId");
        text.ShouldContain("stages[0].parameterValues.buildId: required by 'teletraanDeploy' (Teletraan: deploy): Build");
        var answer = JsonNode.Parse(await warned.Content.ReadAsStringAsync())!;
        answer["valid"]!.GetValue<bool>().ShouldBeTrue(answer.ToJsonString());
        answer["warnings"]!.AsArray().ShouldContain(w => w!["location"]!.GetValue<string>() == "stages[0].url"
                                                         && w["message"]!.GetValue<string>().StartsWith("ignored: the operator's configuration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_deploys_through_the_fake_teletraan_with_the_token_in_its_authorization_header_and_in_no_output()
    {
        var saved = await Server.PostJsonAsync("/pipelines", Pipeline(new JsonObject { ["env"] = "shop", ["buildId"] = "b-7" }).ToJsonString());
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());

        var started = await Server.PostJsonAsync("/pipelines/shop/teletraan", "{}");
        var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        var run = await Server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL", TimeSpan.FromSeconds(60));

        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", run.ToJsonString());
        var calls = secrets.Teletraan.Calls.ToList();
        var deploy = calls.Where(c => c.Method == "POST").ShouldHaveSingleItem();
        deploy.Path.ShouldBe("/v1/envs/shop/prod/deploys?buildId=b-7"); // stage: the parameter's default
        deploy.Authorization.ShouldBe("token " + SecretTestServer.OperatorToken);
        JsonNode.Parse(deploy.Body)!["description"]!.GetValue<string>().ShouldBe($"Mizzen: teletraan ({id})");
        calls.Where(c => c.Method == "GET").ShouldAllBe(c => c.Path == "/v1/deploys/deploy-1" && c.Authorization == "token " + SecretTestServer.OperatorToken);
        var webhook = run["stages"]![0]!["context"]!["webhook"]!;
        webhook["body"]!["requestedWith"]!.GetValue<string>().ShouldBe("token ******"); // the fake echoed it; Mizzen kept the scrubbed answer
        webhook["monitor"]!["body"]!["state"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        var problems = SecretTestServer.Leaks("execution", run.ToJsonString()).ToList();
        problems.AddRange(SecretTestServer.Leaks("list", (await Server.GetJsonAsync("/applications/shop/pipelines")).ToJsonString()));
        problems.AddRange(secrets.LeaksInDataFolder());
        problems.AddRange(secrets.LeaksInLogs());
        problems.ShouldBeEmpty();
    }
}
