using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Orchestration.Tests.Stages.Webhook;

/// <summary>A real Kestrel server on 127.0.0.1 with the endpoints webhook tests call; it records what it received.</summary>
public sealed class WebhookTestServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> calls = new();
    private WebApplication? app;

    public string BaseUrl { get; private set; } = "";

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public int CallsTo(string key) => calls.GetValueOrDefault(key);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Use(async (context, next) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            Received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase), body));
            await next(context);
        });

        app.MapPost("/hooks/ok", () => Results.Json(new { id = "42", links = new[] { new { status = BaseUrl + "/status/from-body" } } }));
        app.MapPost("/hooks/echo", (HttpContext http) =>
        {
            // Echoes what it got, the way careless endpoints do: the request's Authorization in a response header and in the body.
            var request = Received.Last(r => r.PathAndQuery.StartsWith("/hooks/echo", StringComparison.Ordinal));
            http.Response.Headers["X-Echo-Authorization"] = http.Request.Headers.Authorization.ToString();
            return Results.Json(new { headers = request.Headers, body = request.Body });
        });
        app.MapPost("/hooks/flaky", () => Count("flaky") == 1 ? Results.StatusCode(500) : Results.Json(new { ok = true }));
        app.MapPost("/hooks/busy", (HttpContext http) =>
        {
            http.Response.Headers.RetryAfter = "7";
            return Results.StatusCode(429);
        });
        app.MapPost("/hooks/gateway", () => Results.StatusCode(504));
        app.MapPost("/hooks/missing", () => Results.NotFound(new { error = "no such hook" }));
        app.MapPost("/hooks/accepted", () => Results.Accepted("/status/from-location"));
        app.MapGet("/status/{id}", (string id) => Count(id) < 2 ? Results.Json(new { state = "RUNNING" }) : Results.Json(new { state = "success", detail = "done" }));
        app.MapGet("/final/{state}", (string state) => Results.Json(new { run = new { state } }));
        app.MapGet("/progress/{percent:int}", (int percent) => Results.Json(new { percent }));
        app.MapGet("/unavailable", () => Results.StatusCode(503));
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private int Count(string key) => calls.AddOrUpdate(key, 1, (_, n) => n + 1);
}

public sealed record ReceivedRequest(string Method, string PathAndQuery, Dictionary<string, string[]> Headers, string Body);
