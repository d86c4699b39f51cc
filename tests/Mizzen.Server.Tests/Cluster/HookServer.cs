using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Server.Tests.Cluster;

/// <summary>
/// The webhook target of the cluster tests: Kestrel on 127.0.0.1 answering <c>POST /hooks/{kind}/{run}</c>. It records every
/// call (which node made it, found through <see cref="LoopbackPeer"/>; when it arrived; whether it was answered or the caller
/// went away), and holds calls of a <em>closed</em> kind until the test opens it — a task that blocks, so a node holds its
/// lease, or so a cancel has something to interrupt.
/// </summary>
public sealed class HookServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<Hit> hits = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string?> callers = new(StringComparer.Ordinal);
    private WebApplication? app;
    private int port;

    /// <summary>The nodes whose calls are attributed (by pid); set before runs start.</summary>
    public IReadOnlyList<ClusterNode> Nodes { get; set; } = [];

    public IReadOnlyList<Hit> Hits => [.. hits];

    public static async Task<HookServer> StartAsync()
    {
        var server = new HookServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hooks/{kind}/{run}", server.HandleAsync);
        await app.StartAsync();
        server.app = app;
        server.port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return server;
    }

    public string Url(string kind) => $"http://127.0.0.1:{port}/hooks/{kind}";

    /// <summary>Calls of <paramref name="kind"/> (made by <paramref name="node"/> only, when given) wait from now on until <see cref="Open"/>.</summary>
    public void Close(string kind, string? node = null) => gates[Gate(kind, node)] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answers the waiting calls of <paramref name="kind"/> (of <paramref name="node"/>) and every later one at once.</summary>
    public void Open(string kind, string? node = null)
    {
        if (gates.TryGetValue(Gate(kind, node), out var gate))
        {
            gate.TrySetResult();
        }
    }

    public IReadOnlyList<Hit> HitsOf(string kind) => [.. hits.Where(h => h.Kind == kind)];

    private async Task HandleAsync(string kind, string run, HttpContext http)
    {
        var hit = new Hit(kind, run, Caller(http), DateTimeOffset.UtcNow);
        hits.Enqueue(hit);
        if (gates.TryGetValue(Gate(kind, hit.Node), out var gate) || gates.TryGetValue(kind, out gate))
        {
            try
            {
                await gate.Task.WaitAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                hit.AbortedAt = DateTimeOffset.UtcNow;
                return;
            }
        }

        try
        {
            await http.Response.WriteAsJsonAsync(new { run, kind }, http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            hit.AnsweredAt = DateTimeOffset.UtcNow;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            hit.AbortedAt = DateTimeOffset.UtcNow;
        }
    }

    private static string Gate(string kind, string? node) => node is null ? kind : $"{kind}@{node}";

    private string? Caller(HttpContext http) =>
        callers.GetOrAdd(http.Connection.Id, _ =>
        {
            var nodes = Nodes;
            var pid = LoopbackPeer.FindProcess(http.Connection.RemotePort, port, nodes.Select(n => n.Pid));
            return nodes.FirstOrDefault(n => n.Pid == pid)?.Id;
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in gates.Values)
        {
            gate.TrySetResult();
        }

        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

/// <summary>One webhook call: its kind and run, the node that made it (null if it could not be told), and how it ended.</summary>
public sealed record Hit(string Kind, string Run, string? Node, DateTimeOffset ArrivedAt)
{
    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? AbortedAt { get; set; }
}
