using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Security.Authorization;

/// <summary>
/// Permissions end to end on the real server with authentication on: filtered lists, judgment roles, triggers' service accounts,
/// account WRITE for deploys, and token revocation.
/// </summary>
public sealed class PermissionScenarioTests : IAsyncLifetime
{
    private SecuredServer secured = null!;

    public async Task InitializeAsync()
    {
        secured = await SecuredServer.StartAsync();
        await secured.AdminAsync(HttpMethod.Post, "/applications", new JsonObject { ["name"] = "shop", ["permissions"] = SecuredServer.ShopPermissions.DeepClone() }.ToJsonString());
        await secured.AdminAsync(HttpMethod.Post, "/applications", """{"name":"open"}""");
        await secured.AdminAsync(HttpMethod.Post, "/applications", """{"name":"hidden","permissions":{"READ":["admins-only"],"WRITE":["admins-only"]}}""");
    }

    public async Task DisposeAsync() => await secured.DisposeAsync();

    [Fact]
    public async Task The_application_list_shows_only_what_the_caller_may_read()
    {
        async Task<string[]> NamesAsync(string identity) =>
            [.. (await secured.SendAsync(identity, HttpMethod.Get, "/applications")).Body!.AsArray().Select(a => a!["name"]!.GetValue<string>()).Order()];

        (await NamesAsync("viewer")).ShouldBe(["open", "shop"]);
        (await NamesAsync("readonly")).ShouldBe(["open", "shop"]);
        (await NamesAsync("releaser")).ShouldBe(["open", "shop"]);
        (await NamesAsync("admin")).ShouldBe(["hidden", "open", "shop"]);
        var page = await secured.Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/")
        {
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secured.Tokens["viewer"]) },
        });
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("/ui/applications/shop"); // the UI's list: the same filter, for the signed-in user
        html.ShouldNotContain("/ui/applications/hidden");
        html.ShouldNotContain("href=\"/ui/audit\""); // the audit log is for admins: no link to a 403
        var adminPage = await secured.Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/")
        {
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secured.Tokens["admin"]) },
        });
        (await adminPage.Content.ReadAsStringAsync()).ShouldContain("href=\"/ui/audit\"");

        var (status, body) = await secured.SendAsync("viewer", HttpMethod.Get, "/applications/hidden");
        status.ShouldBe(403);
        body!["detail"]!.GetValue<string>().ShouldBe("'viewer' lacks READ on application 'hidden'");
    }

    [Fact]
    public async Task Only_the_stages_judgment_roles_may_judge_and_the_judgment_records_who()
    {
        await secured.AdminAsync(HttpMethod.Post, "/pipelines", """
            {"application":"shop","name":"gated","stages":[{"refId":"1","type":"manualJudgment","name":"Approve","selectedStageRoles":["release"]}]}
            """);
        var id = (await secured.SendAsync("executor", HttpMethod.Post, "/pipelines/shop/gated", "{}")).Body!["ref"]!.GetValue<string>().Split('/')[^1];
        var stageId = (await secured.AdminAsync(HttpMethod.Get, $"/pipelines/{id}"))!["stages"]![0]!["id"]!.GetValue<string>();

        var (refused, why) = await secured.SendAsync("executor", HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}", """{"judgmentStatus":"continue"}""");
        refused.ShouldBe(403);
        why!["detail"]!.GetValue<string>().ShouldBe("'executor' may not judge stage 'Approve': judging it takes one of the roles release");
        (await secured.SendAsync("viewer", HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}", """{"judgmentStatus":"continue"}""")).Status.ShouldBe(403);

        var (judged, stage) = await secured.SendAsync("releaser", HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}", """{"judgmentStatus":"continue"}""");
        judged.ShouldBe(200, stage?.ToJsonString());
        stage!["context"]!["lastModifiedBy"]!.GetValue<string>().ShouldBe("releaser");
        var done = await secured.WaitForEndAsync(id);
        done["stages"]![0]!["outputs"]!["judgedBy"]!.GetValue<string>().ShouldBe("releaser");
    }

    [Fact]
    public async Task A_trigger_may_name_only_a_service_account_the_saver_may_use_and_its_runs_carry_that_accounts_roles()
    {
        static string Pipeline(string name, string? runAs) => new JsonObject
        {
            ["application"] = "shop",
            ["name"] = name,
            ["triggers"] = new JsonArray(new JsonObject { ["type"] = "webhook", ["enabled"] = true, ["source"] = name, ["runAsUser"] = runAs }),
            ["stages"] = new JsonArray(new JsonObject { ["refId"] = "1", ["type"] = "wait", ["name"] = "w", ["waitTime"] = 0 }),
        }.ToJsonString();

        var (forbidden, denial) = await secured.SendAsync("writer", HttpMethod.Post, "/pipelines", Pipeline("by-prod-bot", "prod-bot"));
        forbidden.ShouldBe(403);
        denial!["detail"]!.GetValue<string>().ShouldBe("triggers[0].runAsUser: 'writer' may not use service account 'prod-bot': it takes all of its roles (release, writers)");

        var (unknown, problem) = await secured.SendAsync("writer", HttpMethod.Post, "/pipelines", Pipeline("by-ghost", "ghost"));
        unknown.ShouldBe(400);
        problem!["errors"]![0]!["location"]!.GetValue<string>().ShouldBe("triggers[0].runAsUser");

        var (useless, why) = await secured.SendAsync("admin", HttpMethod.Post, "/pipelines", Pipeline("by-outsider", "outsider-bot"));
        useless.ShouldBe(400);
        why!["detail"]!.GetValue<string>().ShouldContain("'outsider-bot' lacks EXECUTE on application 'shop'");

        (await secured.SendAsync("writer", HttpMethod.Post, "/pipelines", Pipeline("by-jenkins", "jenkins-bot"))).Status.ShouldBe(200);
        (await secured.SendAsync("writer", HttpMethod.Post, "/pipelines", Pipeline("by-nobody", null))).Status.ShouldBe(200);

        // Sent with a viewer's token only to pass authentication's sign-in requirement: a trigger's run is authorized as its runAsUser
        // (or anonymous), never as whoever delivered the event.
        var started = (await secured.SendAsync("viewer", HttpMethod.Post, "/webhooks/webhook/by-jenkins", "{}")).Body!["executions"]![0]!;
        started["result"]!.GetValue<string>().ShouldBe("started", started.ToJsonString());
        var run = await secured.AdminAsync(HttpMethod.Get, $"/pipelines/{started["executionId"]!.GetValue<string>()}");
        run!["authentication"]!["user"]!.GetValue<string>().ShouldBe("jenkins-bot");

        var refused = (await secured.SendAsync("admin", HttpMethod.Post, "/webhooks/webhook/by-nobody", "{}")).Body!["executions"]![0]!;
        refused["result"]!.GetValue<string>().ShouldBe("failed");
        refused["reason"]!.GetValue<string>().ShouldBe("'anonymous' lacks EXECUTE on application 'shop'");
    }

    [Fact]
    public async Task A_run_that_deploys_to_an_account_needs_write_on_it_as_well_as_execute_on_the_application()
    {
        const string Job = """{"application":"open","job":[{"type":"wait","waitTime":0,"account":"prod"}]}""";
        var (status, body) = await secured.SendAsync("executor", HttpMethod.Post, "/tasks", Job);
        status.ShouldBe(403);
        body!["detail"]!.GetValue<string>().ShouldBe("'executor' lacks WRITE on account 'prod'");
        (await secured.SendAsync("writer", HttpMethod.Post, "/tasks", Job)).Status.ShouldBe(202);
        (await secured.SendAsync("executor", HttpMethod.Post, "/tasks", Job.Replace("prod", "local", StringComparison.Ordinal))).Status.ShouldBe(202);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_once()
    {
        var (id, token) = await secured.CreateTokenWithIdAsync("viewer", "full");
        secured.Tokens["short-lived"] = token;
        (await secured.SendAsync("short-lived", HttpMethod.Get, "/applications")).Status.ShouldBe(200);

        await secured.ApiTokens.RevokeAsync(id, SecuredServer.Principal("viewer"), CancellationToken.None);

        (await secured.SendAsync("short-lived", HttpMethod.Get, "/applications")).Status.ShouldBe(401);
    }
}
