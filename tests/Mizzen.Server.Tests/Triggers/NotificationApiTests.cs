using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Triggers;

/// <summary>
/// Notifications on the real server: a run started through the API posts its webhook notification after it ends, with a link to the
/// run's page on this server (the address it listens on when <c>Mizzen:PublicUrl</c> is not set).
/// </summary>
public sealed class NotificationApiTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<JsonObject> received = new();
    private WebApplication receiver = null!;
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        receiver = builder.Build();
        receiver.MapPost("/notify", async (HttpContext http) =>
        {
            received.Enqueue(JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!.AsObject());
            return Results.NoContent();
        });
        await receiver.StartAsync();
        server = await RunningServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await receiver.StopAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_run_started_through_the_api_posts_its_webhook_notification_with_a_link_to_the_run_on_this_server()
    {
        await server.CreateApplicationAsync("shop");
        var saved = await server.PostJsonAsync("/pipelines", $$"""
            {"application":"shop","name":"notify me",
             "notifications":[{"type":"webhook","address":"{{receiver.Urls.First()}}/notify","level":"pipeline","when":["pipeline.complete"]}],
             "stages":[{"refId":"1","type":"wait","name":"pause","waitTime":0}]}
            """);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        saved.Headers.Contains("Warning").ShouldBeFalse();

        var started = await server.PostJsonAsync("/pipelines/shop/notify me", """{"type":"manual"}""");
        var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        var run = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL");
        var posted = await Eventually.GetAsync(() => Task.FromResult(received.TryPeek(out var body) ? body : null), TimeSpan.FromSeconds(30), "the webhook notification");

        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        posted["event"]!.GetValue<string>().ShouldBe("pipeline.complete");
        posted["execution"]!["id"]!.GetValue<string>().ShouldBe(id);
        posted["link"]!.GetValue<string>().ShouldBe($"{server.Url.ToString().TrimEnd('/')}/ui/executions/{id}");
    }
}
