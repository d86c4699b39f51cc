using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Prometheus;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Sources;

public sealed class MetricsFetchRetryTests : IAsyncLifetime
{
    private const string EmptyMatrix = """{"status":"success","data":{"resultType":"matrix","result":[]}}""";
    private readonly Queue<int> statuses = new();
    private WebApplication? server;
    private int requests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server = builder.Build();
        server.MapGet("/api/v1/query_range", () =>
        {
            Interlocked.Increment(ref requests);
            int status;
            lock (statuses)
            {
                status = statuses.Count > 0 ? statuses.Dequeue() : 200;
            }

            return status == 200 ? Results.Text(EmptyMatrix, "application/json") : Results.StatusCode(status);
        });
        await server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private (PrometheusMetricsSource Source, RecordingTimeProvider Time) Create(int maxAttempts = 10, Uri? baseAddress = null, HttpMessageHandler? handler = null)
    {
        var time = new RecordingTimeProvider();
        var options = new PrometheusSourceOptions
        {
            BaseAddress = baseAddress ?? new Uri(server!.Urls.First()),
            Retry = new MetricsFetchRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxAttempts = maxAttempts },
        };
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        return (new PrometheusMetricsSource(client, Options.Create(options), time, NullLogger<PrometheusMetricsSource>.Instance), time);
    }

    /// <summary>Fails the first <paramref name="failures"/> requests as a dropped connection would, then passes requests on.</summary>
    private sealed class DroppingHandler(int failures) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int remaining = failures;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Interlocked.Decrement(ref remaining) >= 0
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, "the connection was reset")
                : base.SendAsync(request, cancellationToken);
    }

    private static Uri UnusedLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private static readonly CanaryConfig Config = CanaryConfigJson.Parse("""{"name":"c","metrics":[{"name":"m","query":{"type":"prometheus","customInlineTemplate":"PromQL:up"}}]}""");

    private static MetricScope Scope => new("s", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), 60);

    [Fact]
    public async Task Two_503s_are_retried_after_exponentially_growing_delays_on_the_injected_clock()
    {
        statuses.Enqueue(503);
        statuses.Enqueue(503);
        var (source, time) = Create();

        var query = source.QueryAsync(Config, Config.Metrics[0], Scope, CancellationToken.None);
        var first = await time.NextTimerAsync();
        time.Advance(first);
        var second = await time.NextTimerAsync();
        time.Advance(second);
        var sets = await query;

        first.ShouldBe(TimeSpan.FromSeconds(1));
        second.ShouldBe(TimeSpan.FromSeconds(2));
        requests.ShouldBe(3);
        sets.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    public async Task A_408_or_429_is_retried_after_the_base_delay_on_the_injected_clock(int status)
    {
        statuses.Enqueue(status);
        var (source, time) = Create();

        var query = source.QueryAsync(Config, Config.Metrics[0], Scope, CancellationToken.None);
        var wait = await time.NextTimerAsync();
        requests.ShouldBe(1);
        time.Advance(wait);
        var sets = await query;

        wait.ShouldBe(TimeSpan.FromSeconds(1));
        requests.ShouldBe(2);
        sets.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_and_the_next_attempt_succeeds()
    {
        var (source, time) = Create(handler: new DroppingHandler(failures: 1));

        var query = source.QueryAsync(Config, Config.Metrics[0], Scope, CancellationToken.None);
        var wait = await time.NextTimerAsync();
        requests.ShouldBe(0);
        time.Advance(wait);
        var sets = await query;

        wait.ShouldBe(TimeSpan.FromSeconds(1));
        requests.ShouldBe(1);
        sets.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refused_connection_is_retried_with_backoff_and_then_reported_as_transient()
    {
        var (source, time) = Create(maxAttempts: 3, baseAddress: UnusedLoopbackAddress());

        var query = source.QueryAsync(Config, Config.Metrics[0], Scope, CancellationToken.None);
        var first = await time.NextTimerAsync();
        time.Advance(first);
        var second = await time.NextTimerAsync();
        time.Advance(second);
        var ex = await Should.ThrowAsync<MetricsFetchException>(() => query);

        first.ShouldBe(TimeSpan.FromSeconds(1));
        second.ShouldBe(TimeSpan.FromSeconds(2));
        ex.IsTransient.ShouldBeTrue();
        ex.Message.ShouldContain("Prometheus could not be reached");
        ex.Message.ShouldContain("gave up after 3 attempts");
        ex.InnerException.ShouldBeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task A_400_fails_at_once_without_retrying()
    {
        statuses.Enqueue(400);
        var (source, _) = Create();

        var ex = await Should.ThrowAsync<MetricsFetchException>(() => source.QueryAsync(Config, Config.Metrics[0], Scope, CancellationToken.None));

        ex.IsTransient.ShouldBeFalse();
        requests.ShouldBe(1);
    }

    [Fact]
    public async Task Giving_up_after_the_last_attempt_reports_a_transient_failure()
    {
        statuses.Enqueue(429);
        statuses.Enqueue(502);
        var (source, time) = Create(maxAttempts: 2);

        var query = source.QueryAsync(Config, Config.Metrics[0], Scope, CancellationToken.None);
        time.Advance(await time.NextTimerAsync());
        var ex = await Should.ThrowAsync<MetricsFetchException>(() => query);

        ex.IsTransient.ShouldBeTrue();
        ex.Message.ShouldContain("gave up after 2 attempts");
    }

    [Fact]
    public void Backoff_doubles_from_the_base_delay_and_is_capped()
    {
        var options = new MetricsFetchRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10) };

        Enumerable.Range(1, 5).Select(options.DelayBeforeRetry).ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)]);
    }
}
