using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>
/// One load balancer: a Kestrel listener of its own that forwards each request to an instance the router picks and records the
/// outcome per server group; <see cref="IRequestForwarder"/> does the proxying. A request whose connection to the instance cannot be made
/// is tried once more elsewhere when it has no body. Nothing here cancels in-flight requests when a server group is disabled: they
/// finish (an upgraded connection such as a WebSocket counts as in flight until it closes); only new requests avoid it.
/// </summary>
internal sealed class LoadBalancerHost(
    string account, string name, int port, IPAddress address, ServerGroupDirectory directory, TrafficRegistry traffic, IRequestForwarder forwarder, TimeProvider time, ILogger logger)
    : IAsyncDisposable
{
    private WebApplication? app;

    public LoadBalancerRouter Router { get; } = new(account, directory);

    public string Account { get; } = account;

    public string Name { get; } = name;

    public int Port { get; } = port;

    public Uri Url { get; } = new($"http://{(address.Equals(IPAddress.Any) ? IPAddress.Loopback : address)}:{port}");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(address, Port);
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = null;
        });
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        Log.LoadBalancerListening(logger, Account, Name, Url);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        InstanceEndpoint? tried = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (Router.Pick(tried) is not { } pick)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync($"load balancer '{Name}' has no Up instance in an enabled server group\n", aborted);
                return;
            }

            var (group, endpoint) = pick;
            var counters = traffic.For(Account, group.Name);
            counters.Begin();
            endpoint.Begin();
            var started = time.GetTimestamp();
            var outcome = ForwardOutcome.Failed;
            try
            {
                outcome = await forwarder.ForwardAsync(context, endpoint.BaseUri, aborted);
            }
            catch (Exception) when (aborted.IsCancellationRequested)
            {
                outcome = ForwardOutcome.Failed;
            }
            finally
            {
                endpoint.End();
                var status = outcome == ForwardOutcome.Forwarded ? context.Response.StatusCode : StatusCodes.Status502BadGateway;
                counters.Complete(status, time.GetElapsedTime(started));
            }

            if (outcome == ForwardOutcome.Forwarded)
            {
                return;
            }

            tried = endpoint;
            var canRetry = outcome == ForwardOutcome.ConnectFailed && !HasBody(context.Request) && !context.Response.HasStarted;
            if (!canRetry || attempt == 1)
            {
                // A forwarder may have set a more precise failure already (YARP: 504 for a timeout); anything else becomes 502.
                if (!context.Response.HasStarted && context.Response.StatusCode < StatusCodes.Status500InternalServerError)
                {
                    context.Response.StatusCode = StatusCodes.Status502BadGateway;
                }

                return;
            }
        }
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
