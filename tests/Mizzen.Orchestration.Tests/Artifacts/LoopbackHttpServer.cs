using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>A real Kestrel server on 127.0.0.1:0 with the routes a test maps; it records each request's path and headers.</summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackHttpServer(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; }

    /// <summary><c>127.0.0.1:port</c>, for <c>Mizzen:Expressions:Url:AllowedHosts</c>.</summary>
    public string HostAndPort => new Uri(BaseUrl).Authority;

    public ConcurrentQueue<(string PathAndQuery, Dictionary<string, string> Headers)> Received { get; } = new();

    public static async Task<LoopbackHttpServer> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LoopbackHttpServer? server = null;
        app.Use(async (context, next) =>
        {
            server!.Received.Enqueue((context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await next(context);
        });
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        server = new LoopbackHttpServer(app, address);
        return server;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
