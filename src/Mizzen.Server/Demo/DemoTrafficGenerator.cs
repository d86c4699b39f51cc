namespace Mizzen.Server.Demo;

/// <summary>
/// Steady synthetic traffic against the prod load balancer so its metrics (and a canary) have something to show: <see cref="RequestsPerSecond"/>
/// GETs of <c>/</c>, at most <see cref="MaxInFlight"/> at a time (a tick is skipped while the service is slow), loopback only,
/// until the server stops.
/// </summary>
internal sealed partial class DemoTrafficGenerator(TimeProvider time, ILogger<DemoTrafficGenerator> logger)
{
    public const int RequestsPerSecond = 10;
    public const int MaxInFlight = 20;

    private long inFlight;

    public async Task RunAsync(Uri loadBalancer, CancellationToken cancellationToken)
    {
        // Whatever address the load balancer listens on, the generator only ever talks to this host's loopback.
        var target = new UriBuilder(loadBalancer) { Host = "127.0.0.1", Path = "/" }.Uri;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / RequestsPerSecond), time);
        LogStarted(target, RequestsPerSecond);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Interlocked.Read(ref inFlight) < MaxInFlight)
                {
                    _ = SendAsync(http, target, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopped();
        }
    }

    private async Task SendAsync(HttpClient http, Uri target, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            using var response = await http.GetAsync(target, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // Nothing deployed yet, a deploy in progress, or shutting down: the load balancer's metrics record what matters.
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Demo: sending {Rate} requests/s of synthetic traffic to {Target}")]
    private partial void LogStarted(Uri target, int rate);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Information, Message = "Demo: synthetic traffic stopped")]
    private partial void LogStopped();
}
