using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Server.Tests.Secrets;

/// <summary>
/// A fake of Pinterest's Teletraan deploy API on 127.0.0.1, enough for a preconfigured webhook stage: <c>POST
/// /v1/envs/{env}/{stage}/deploys?buildId=</c> starts a deploy (201, <c>Location: /v1/deploys/{id}</c>) and <c>GET
/// /v1/deploys/{id}</c> reports its <c>state</c> (RUNNING, then SUCCEEDED). Every call must carry <c>Authorization: token
/// &lt;token&gt;</c>, else 401. Like a careless API it echoes the caller's Authorization header in its answers, so a test can
/// prove Mizzen scrubs the value from what it keeps. Also <c>POST /echo</c>: answers with the request's headers and body.
/// </summary>
public sealed class FakeTeletraan : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> polls = new();
    private WebApplication app = null!;
    private int deploys;

    private FakeTeletraan(string token) => Token = token;

    public string Token { get; }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every call: method, path and query, the headers it carried, the body.</summary>
    public ConcurrentQueue<FakeCall> Calls { get; } = new();

    public static async Task<FakeTeletraan> StartAsync(string token)
    {
        var fake = new FakeTeletraan(token);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        fake.app = builder.Build();
        fake.app.Use(async (http, next) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            string? authorization = http.Request.Headers.Authorization.Count == 0 ? null : http.Request.Headers.Authorization.ToString();
            fake.Calls.Enqueue(new FakeCall(http.Request.Method, http.Request.Path + http.Request.QueryString,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            http.Items["body"] = body;
            if (http.Request.Path.StartsWithSegments("/v1") && authorization != "token " + fake.Token)
            {
                http.Response.StatusCode = 401;
                await http.Response.WriteAsJsonAsync(new { error = "bad token" }, http.RequestAborted);
                return;
            }

            await next(http);
        });
        fake.app.MapPost("/v1/envs/{env}/{stage}/deploys", (string env, string stage, string buildId, HttpContext http) =>
        {
            var id = $"deploy-{Interlocked.Increment(ref fake.deploys)}";
            return Results.Created($"/v1/deploys/{id}", new { id, env, stage, buildId, requestedWith = http.Request.Headers.Authorization.ToString() });
        });
        fake.app.MapGet("/v1/deploys/{id}", (string id, HttpContext http) =>
        {
            var poll = fake.polls.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Results.Json(new
            {
                id, state = poll < 2 ? "RUNNING" : "SUCCEEDED", progress = poll < 2 ? "1/2 hosts" : "2/2 hosts",
                requestedWith = http.Request.Headers.Authorization.ToString(),
            });
        });
        fake.app.MapPost("/echo", (HttpContext http) =>
        {
            http.Response.Headers["X-Echo-Authorization"] = http.Request.Headers.Authorization.ToString();
            return Results.Json(new
            {
                headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()),
                body = (string)http.Items["body"]!,
            });
        });
        await fake.app.StartAsync();
        fake.BaseUrl = fake.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>One request the fake received.</summary>
public sealed record FakeCall(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Authorization => Headers.GetValueOrDefault("Authorization");
}
