using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Persistence.Audit;
using Mizzen.Server.Audit;
using Mizzen.Server.Tests.Durability;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Server.Tests.Security;

namespace Mizzen.Server.Tests.Audit;

/// <summary>
/// The audit log's guarantee on the real server: a change that is a store write has its record in the same commit (it is in the table when
/// the call returns even with the audit queue stopped), a refused change has none, a refused request's <c>http.*</c> record is stored
/// before its response is sent, and a server killed right after answering still has the records.
/// </summary>
public sealed class AuditCommitTests : IAsyncLifetime
{
    private const string Gated = """{"application":"shop","name":"gated","stages":[{"refId":"1","type":"manualJudgment","name":"Approve"}]}""";

    private const string CanaryConfig = """
        {"name":"checkout","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"errors","groups":["e"],"query":{"type":"embedded","metricName":"error_rate"},"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}}],
         "classifier":{"groupWeights":{"e":100}}}
        """;

    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private Task<IReadOnlyList<AuditRecord>> StoredAsync(string? action = null) =>
        server.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery { Action = action, Limit = 1000 }, CancellationToken.None);

    [Fact]
    public async Task Every_store_change_has_its_record_in_its_own_commit_with_the_audit_queue_stopped()
    {
        // Stopped: the loop no longer writes and every queued entry is dropped, so a record found below was written by the change's commit.
        await server.Services.GetRequiredService<AuditLog>().StopAsync(CancellationToken.None);
        var before = (await StoredAsync()).Count;

        (await server.PostJsonAsync("/pipelines", Gated)).EnsureSuccessStatusCode();
        var started = await server.PostJsonAsync("/pipelines/shop/gated", "{}");
        started.EnsureSuccessStatusCode();
        var runId = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        var stageId = (await server.WaitForAsync(runId, e => e["stages"]![0]!["status"]!.GetValue<string>() == "RUNNING"))["stages"]![0]!["id"]!.GetValue<string>();
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{runId}/pause")).Status.ShouldBe(202);
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{runId}/resume")).Status.ShouldBe(202);
        (await server.SendAsync(HttpMethod.Patch, $"/pipelines/{runId}/stages/{stageId}", new JsonObject { ["judgmentStatus"] = "continue" })).Status.ShouldBe(200);
        await server.WaitForAsync(runId, e => e["status"]!.GetValue<string>() == "SUCCEEDED");
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{runId}/stages/{stageId}/restart")).Status.ShouldBe(202);
        await server.WaitForAsync(runId, e => e["status"]!.GetValue<string>() == "RUNNING");
        (await server.SendAsync(HttpMethod.Put, $"/pipelines/{runId}/cancel?reason=enough")).Status.ShouldBe(202);
        (await server.Http.PostAsJsonAsync("/applications", new { name = "web", email = "web@example.com" })).EnsureSuccessStatusCode();
        (await server.SendAsync(HttpMethod.Delete, "/applications/web")).Status.ShouldBeInRange(200, 204);
        var canary = await server.PostJsonAsync("/v2/canaries/canaryConfig", CanaryConfig);
        canary.EnsureSuccessStatusCode();
        var canaryId = JsonNode.Parse(await canary.Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();
        (await server.SendAsync(HttpMethod.Delete, $"/v2/canaries/canaryConfig/{canaryId}")).Status.ShouldBe(204);
        (await server.SendAsync(HttpMethod.Delete, "/pipelines/shop/gated")).Status.ShouldBeInRange(200, 204);

        // Oldest first: ids (time-ordered, stamped in each change's transaction) follow the order of the changes.
        var stored = (await StoredAsync()).Reverse().Skip(before).ToList();

        stored.Select(r => r.Action).ShouldBe(
        [
            "pipeline.saved", "execution.started", "execution.paused", "execution.resumed", "stage.judged", "stage.restarted", "execution.canceled",
            "application.saved", "application.deleted", "canaryConfig.saved", "canaryConfig.deleted", "pipeline.deleted",
        ]);
        stored.Single(r => r.Action == "execution.canceled").Detail.ShouldBe("enough");
        stored.Single(r => r.Action == "stage.judged").Target.ShouldBe($"execution:{runId}/stage:{stageId}");
        stored.ShouldAllBe(r => r.Address == "127.0.0.1");
        PipelineConfigOf(stored.Single(r => r.Action == "pipeline.deleted").Before!).ShouldBe("gated");
    }

    [Fact]
    public async Task An_api_token_is_created_and_revoked_with_its_record_in_the_same_commit()
    {
        await using var secured = await AuthServers.StartAsync(AuthServers.FileUsers());
        using var alice = secured.ClientWith(await secured.TokenAsync("alice"));
        await secured.Services.GetRequiredService<AuditLog>().StopAsync(CancellationToken.None);

        using var created = await alice.PostAsJsonAsync("/auth/tokens", new { name = "jenkins", scope = "read" });
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        (await alice.DeleteAsync($"/auth/tokens/{token["id"]}")).EnsureSuccessStatusCode();

        var stored = await secured.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery { Action = "token." }, CancellationToken.None);
        stored.Select(r => (r.Action, r.Target, r.User)).ShouldBe(
            [("token.revoked", $"token:{token["id"]}", "alice"), ("token.created", $"token:{token["id"]}", "alice")]);
        stored.ShouldAllBe(r => !(r.Before + r.After).Contains(token["token"]!.GetValue<string>(), StringComparison.Ordinal), "never the secret");
    }

    [Fact]
    public async Task A_refused_change_has_no_change_record_and_its_request_record_is_stored_before_the_answer()
    {
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"deploy","id":"aaa","stages":[]}""")).EnsureSuccessStatusCode();

        // Another pipeline may not take the name: 409, nothing saved.
        var conflict = await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"Deploy","id":"bbb","stages":[]}""");
        ((int)conflict.StatusCode).ShouldBe(409);
        var refused = await server.SendAsync(HttpMethod.Put, "/pipelines/01NOSUCHRUN0000000000000000/pause");
        refused.Status.ShouldBe(404);

        // Read right after the answers, no flush: the middleware held each response until its entry was written.
        var requests = await StoredAsync("http.");
        requests.Select(r => (r.Action, r.Target, r.Status)).ShouldBe(
        [
            ("http.put", "/pipelines/01NOSUCHRUN0000000000000000/pause", (int?)404),
            ("http.post", "/pipelines", (int?)409),
        ]);
        (await StoredAsync("pipeline.saved")).ShouldHaveSingleItem().Detail.ShouldBe("id aaa, revision 1");
        (await StoredAsync("execution.")).ShouldBeEmpty();
    }

    [Fact]
    [Trait("Category", "Durability")]
    public async Task A_server_killed_right_after_answering_still_has_the_records_of_what_it_answered()
    {
        var data = Path.Combine(Path.GetTempPath(), "mizzen-audit-crash-" + Guid.NewGuid().ToString("N"));
        var port = ServerProcess.FreePort();
        try
        {
            using (var first = await ServerProcess.StartAsync(data, port))
            {
                using var client = new HttpClient { BaseAddress = first.Address };
                (await client.PostAsJsonAsync("/applications", new { name = "crash" })).EnsureSuccessStatusCode();
                (await client.PostAsync("/pipelines", new StringContent(
                    """{"application":"crash","name":"deploy","stages":[{"refId":"1","type":"wait","waitTime":1}]}""", System.Text.Encoding.UTF8, "application/json")))
                    .EnsureSuccessStatusCode();
                ((int)(await client.PutAsync("/pipelines/01NOSUCHRUN0000000000000000/cancel", null)).StatusCode).ShouldBe(404);
                first.Kill(); // SIGKILL right after the last answer: no shutdown, no drain of the audit queue
            }

            using var second = await ServerProcess.StartAsync(data, port);
            using var again = new HttpClient { BaseAddress = second.Address };
            var entries = (await again.GetFromJsonAsync<JsonObject>("/audit?limit=1000"))!["entries"]!.AsArray();
            var actions = entries.Select(e => (e!["action"]!.GetValue<string>(), e["target"]!.GetValue<string>())).Reverse().ToList();

            actions.ShouldBe(
            [
                ("application.saved", "application:crash"),
                ("pipeline.saved", "pipeline:crash/deploy"),
                ("http.put", "/pipelines/01NOSUCHRUN0000000000000000/cancel"),
            ]);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static string PipelineConfigOf(string json) => JsonNode.Parse(json)!["name"]!.GetValue<string>();
}
