using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Triggers.Tests.Notifications;

/// <summary>A real HTTP listener on 127.0.0.1 that records the JSON bodies POSTed to <c>/notify</c>; the first <see cref="FailFirst"/> get a 500.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string Url => app.Urls.First() + "/notify";

    public ConcurrentQueue<JsonObject> Received { get; } = new();

    public int FailFirst { get; set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.MapPost("/notify", async (HttpContext http) =>
        {
            if (receiver.FailFirst > 0)
            {
                receiver.FailFirst--;
                return Results.StatusCode(500);
            }

            receiver.Received.Enqueue(JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!.AsObject());
            return Results.NoContent();
        });
        await receiver.app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
