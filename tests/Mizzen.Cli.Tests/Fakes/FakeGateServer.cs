using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Cli.Tests.Fakes;

/// <summary>
/// A FAKE of Mizzen's Gate-compatible API, for CLI tests until the real server is ready: Kestrel on 127.0.0.1:0 that
/// answers canned responses per method and path, and records every request. Unknown routes answer 404 ProblemDetails.
/// </summary>
public sealed class FakeGateServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly WebApplication app;

    private FakeGateServer(WebApplication app)
    {
        this.app = app;
    }

    public string Url { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => requests.ToList();

    public static async Task<FakeGateServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeGateServer(builder.Build());
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync();
        server.Url = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (no query) with <paramref name="json"/>.</summary>
    public FakeGateServer On(string method, string path, JsonNode? json, int status = 200) =>
        OnRequest(method, path, context => WriteJsonAsync(context, status, json));

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with a handler of its own (streams, sequences).</summary>
    public FakeGateServer OnRequest(string method, string path, Func<HttpContext, Task> handler)
    {
        routes[Key(method, path)] = handler;
        return this;
    }

    /// <summary>A ProblemDetails error, as the real server sends for bad input.</summary>
    public FakeGateServer Problem(string method, string path, int status, string title, string? detail = null, JsonArray? errors = null)
    {
        var problem = new JsonObject { ["type"] = "about:blank", ["title"] = title, ["status"] = status };
        if (detail is not null)
        {
            problem["detail"] = detail;
        }

        if (errors is not null)
        {
            problem["errors"] = errors;
        }

        return OnRequest(method, path, context => WriteJsonAsync(context, status, problem, "application/problem+json"));
    }

    public RecordedRequest Single(string method, string path) =>
        Requests.Single(r => r.Method == method && r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode? json, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        if (json is not null)
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = context.Request.Path.Value ?? "";
        requests.Enqueue(new RecordedRequest(context.Request.Method, path, context.Request.QueryString.Value ?? "", body, headers));
        if (routes.TryGetValue(Key(context.Request.Method, path), out var handler))
        {
            await handler(context);
            return;
        }

        await WriteJsonAsync(context, 404,
            new JsonObject { ["title"] = "Not Found", ["status"] = 404, ["detail"] = $"fake Gate has no route for {context.Request.Method} {path}" },
            "application/problem+json");
    }

    private static string Key(string method, string path) => $"{method.ToUpperInvariant()} {path}";
}
