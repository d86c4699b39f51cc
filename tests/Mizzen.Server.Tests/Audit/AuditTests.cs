using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Audit;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Audit;

/// <summary>
/// The audit log on the real server: config saves with before and after, run actions with who did them, a refused change with its
/// status, a change no decorator knows (caught by the middleware), the filters of <c>GET /audit</c>, and the page.
/// </summary>
public sealed class AuditTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private Task FlushAsync() => server.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);

    private async Task<JsonArray> AuditAsync(string query = "")
    {
        await FlushAsync();
        return (await server.GetJsonAsync("/audit" + query))["entries"]!.AsArray();
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string user, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Mizzen-User", user);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_pipeline_saved_twice_is_audited_with_who_and_the_config_before_and_after()
    {
        (await SendAsync(HttpMethod.Post, "/pipelines", "ann", """{"application":"shop","name":"deploy","stages":[{"refId":"1","type":"wait","waitTime":1}]}""")).ShouldBe(HttpStatusCode.OK);
        var id = (await server.GetJsonAsync("/applications/shop/pipelineConfigs/deploy"))["id"]!.GetValue<string>();
        (await SendAsync(HttpMethod.Post, "/pipelines", "bob", $$"""{"id":"{{id}}","application":"shop","name":"deploy","stages":[{"refId":"1","type":"wait","waitTime":5}]}""")).ShouldBe(HttpStatusCode.OK);

        var saves = await AuditAsync("?action=pipeline.saved");

        saves.Count.ShouldBe(2);
        var second = saves[0]!;
        second["user"]!.GetValue<string>().ShouldBe("bob");
        second["target"]!.GetValue<string>().ShouldBe("pipeline:shop/deploy");
        second["address"]!.GetValue<string>().ShouldBe("127.0.0.1");
        JsonNode.Parse(second["before"]!.GetValue<string>())!["stages"]![0]!["waitTime"]!.GetValue<int>().ShouldBe(1);
        JsonNode.Parse(second["after"]!.GetValue<string>())!["stages"]![0]!["waitTime"]!.GetValue<int>().ShouldBe(5);
        saves[1]!["user"]!.GetValue<string>().ShouldBe("ann");
        saves[1]!["before"].ShouldBeNull();
    }

    [Fact]
    public async Task Starting_and_canceling_a_run_are_audited_once_each_and_a_refused_cancel_with_its_status()
    {
        (await SendAsync(HttpMethod.Post, "/pipelines", "ann", """{"application":"shop","name":"slow","stages":[{"refId":"1","type":"wait","waitTime":60}]}""")).ShouldBe(HttpStatusCode.OK);
        var started = await server.PostJsonAsync("/pipelines/shop/slow", "{}");
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var runId = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];

        (await SendAsync(HttpMethod.Put, $"/pipelines/{runId}/cancel?reason=wrong%20build", "carl")).ShouldBe(HttpStatusCode.Accepted);
        (await SendAsync(HttpMethod.Put, "/pipelines/01NOSUCHRUN0000000000000000/cancel", "carl")).ShouldBe(HttpStatusCode.NotFound);

        var forRun = await AuditAsync($"?target=execution:{runId}");
        forRun.Select(e => e!["action"]!.GetValue<string>()).ShouldBe(["execution.canceled", "execution.started"]);
        forRun[0]!["user"]!.GetValue<string>().ShouldBe("carl");
        forRun[0]!["detail"]!.GetValue<string>().ShouldBe("wrong build");

        // The refused cancel changed nothing: the middleware records the request with its status instead.
        var refused = (await AuditAsync("?user=carl&action=http.")).Single()!;
        refused["action"]!.GetValue<string>().ShouldBe("http.put");
        refused["target"]!.GetValue<string>().ShouldBe("/pipelines/01NOSUCHRUN0000000000000000/cancel");
        refused["status"]!.GetValue<int>().ShouldBe(404);
    }

    [Fact]
    public async Task Application_changes_and_deletes_are_audited_and_reads_are_not()
    {
        (await SendAsync(HttpMethod.Post, "/applications", "dora", """{"name":"web","email":"web@example.com"}""")).ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Created);
        (await SendAsync(HttpMethod.Get, "/applications/web", "dora")).ShouldBe(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Delete, "/applications/web", "dora")).ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.NoContent);

        var dora = await AuditAsync("?user=dora");

        dora.Select(e => e!["action"]!.GetValue<string>()).ShouldBe(["application.deleted", "application.saved"]);
        JsonNode.Parse(dora[0]!["before"]!.GetValue<string>())!["email"]!.GetValue<string>().ShouldBe("web@example.com");
    }

    [Fact]
    public async Task Bad_filters_are_a_400_naming_the_parameter_and_the_page_lists_entries()
    {
        var bad = await server.Http.GetAsync("/audit?since=yesterday");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("since");
        (await server.Http.GetAsync("/audit?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await SendAsync(HttpMethod.Post, "/pipelines", "erin", """{"application":"shop","name":"p","stages":[]}""")).ShouldBe(HttpStatusCode.OK);
        await FlushAsync();
        var page = await server.Http.GetStringAsync("/ui/audit?user=erin");
        page.ShouldContain("pipeline.saved");
        page.ShouldContain("pipeline:shop/p");
    }

    [Fact]
    public async Task Paging_with_next_walks_every_entry_once()
    {
        for (var i = 0; i < 5; i++)
        {
            (await SendAsync(HttpMethod.Post, "/pipelines", "fay", $$"""{"application":"shop","name":"p{{i}}","stages":[]}""")).ShouldBe(HttpStatusCode.OK);
        }

        await FlushAsync();
        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await server.GetJsonAsync("/audit?user=fay&limit=2" + (next is null ? "" : $"&before={next}"));
            seen.AddRange(page["entries"]!.AsArray().Select(e => e!["target"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
        }
        while (next is not null);

        seen.ShouldBe(["pipeline:shop/p4", "pipeline:shop/p3", "pipeline:shop/p2", "pipeline:shop/p1", "pipeline:shop/p0"]);
    }
}
