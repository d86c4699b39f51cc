using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Triggers.Tests.Notifications;

/// <summary>
/// A FAKE of Slack's Web API on 127.0.0.1 (real HTTP), answering as Slack documents: <c>POST /api/chat.postMessage</c> with
/// <c>Authorization: Bearer</c> and a JSON body <c>{channel, text}</c> answers HTTP 200 <c>{"ok": true, "channel", "ts", "message"}</c>,
/// or HTTP 200 <c>{"ok": false, "error": "invalid_auth" | "channel_not_found"}</c>; while <see cref="RateLimitedCalls"/> is above zero it
/// answers HTTP 429 with <c>Retry-After</c> (Slack's rate limiting). <c>POST /services/{…}</c> is an incoming webhook: <c>ok</c> as text, or
/// 404 <c>no_service</c> for a revoked one (<c>/services/REVOKED/…</c>).
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    public const string Token = "xoxb-fake-token-1234";

    private readonly WebApplication app;

    private FakeSlack(WebApplication app) => this.app = app;

    public string BaseUrl => app.Urls.First();

    /// <summary>Messages Slack accepted: (channel, text), in order.</summary>
    public ConcurrentQueue<(string Channel, string Text)> Posted { get; } = new();

    /// <summary>Every call, accepted or not.</summary>
    public int Calls => calls;

    /// <summary>The next this many calls are rate limited.</summary>
    public int RateLimitedCalls { get; set; }

    public int RetryAfterSeconds { get; set; } = 7;

    private int calls;

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeSlack(builder.Build());
        fake.app.MapPost("/api/chat.postMessage", (Delegate)fake.PostMessageAsync);
        fake.app.MapPost("/services/{**rest}", async (HttpContext http) =>
        {
            Interlocked.Increment(ref fake.calls);
            if (http.Request.Path.Value!.Contains("/services/REVOKED/", StringComparison.Ordinal))
            {
                return Results.Text("no_service", statusCode: StatusCodes.Status404NotFound);
            }

            var body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!;
            fake.Posted.Enqueue((body["channel"]?.GetValue<string>() ?? "(webhook)", body["text"]!.GetValue<string>()));
            return Results.Text("ok");
        });
        await fake.app.StartAsync();
        return fake;
    }

    private async Task<IResult> PostMessageAsync(HttpContext http)
    {
        Interlocked.Increment(ref calls);
        if (RateLimitedCalls > 0)
        {
            RateLimitedCalls--;
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        if (http.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            return Results.Json(new { ok = false, error = "invalid_auth" });
        }

        var body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!;
        var channel = body["channel"]?.GetValue<string>() ?? "";
        if (channel == "#missing")
        {
            return Results.Json(new { ok = false, error = "channel_not_found" });
        }

        var text = body["text"]!.GetValue<string>();
        Posted.Enqueue((channel, text));
        return Results.Json(new { ok = true, channel = "C0123ABCD", ts = "1700000000.000100", message = new { text } });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
