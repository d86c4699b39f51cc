namespace Mizzen.Server.Demo;

/// <summary>
/// Steady synthetic traffic against the prod load balancer so its metrics (and a canary) have something to show: <see cref="RequestsPerSecond"/>
/// GETs of <c>/</c>, loopback only, until the server stops. The pace is kept against the clock (a late tick sends what it owes), so
/// a busy machine still sends the full rate; at most <see cref="MaxInFlight"/> requests are outstanding while the service is slow.
/// </summary>
/// <remarks>
/// The rate is what makes the demo canary's verdict certain rather than likely. A canary gets 10% of it; the embedded store keeps
/// 10 s steps; a v3 step with no 500 at all ties with the baseline's zeros and lets the critical <c>error_rate</c> pass. At
/// 100 requests/s a canary step holds about 100 requests, and the chance that none of them fails at v3's 10% is 0.9^100 ≈ 3·10⁻⁵;
/// at the former 10 requests/s it was 0.35 per step. Cost, measured: about 7% of one core (the server with its proxy 5%, each prod
/// instance 1%).
/// </remarks>
internal sealed partial class DemoTrafficGenerator(TimeProvider time, ILogger<DemoTrafficGenerator> logger)
{
    public const int RequestsPerSecond = 100;
    public const int MaxInFlight = 64;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private long inFlight;

    public async Task RunAsync(Uri loadBalancer, CancellationToken cancellationToken)
    {
        // Whatever address the load balancer listens on, the generator only ever talks to this host's loopback.
        var target = new UriBuilder(loadBalancer) { Host = "127.0.0.1", Path = "/" }.Uri;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1), MaxConnectionsPerServer = MaxInFlight })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        using var timer = new PeriodicTimer(Tick, time);
        LogStarted(target, RequestsPerSecond);
        var started = time.GetTimestamp();
        long sent = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var owed = (long)(time.GetElapsedTime(started).TotalSeconds * RequestsPerSecond) - sent;
                for (; owed > 0; owed--, sent++)
                {
                    if (Interlocked.Read(ref inFlight) >= MaxInFlight)
                    {
                        // The service is slow: what cannot be sent now is dropped rather than sent in a burst later.
                        sent += owed;
                        break;
                    }

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

    [LoggerMessage(EventId = 8111, Level = LogLevel.Information, Message = "Demo: sending {Rate} requests/s of synthetic traffic to {Target}")]
    private partial void LogStarted(Uri target, int rate);

    [LoggerMessage(EventId = 8112, Level = LogLevel.Information, Message = "Demo: synthetic traffic stopped")]
    private partial void LogStopped();
}
