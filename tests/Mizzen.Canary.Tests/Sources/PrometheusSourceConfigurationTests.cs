using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Prometheus;

namespace Mizzen.Canary.Tests.Sources;

/// <summary>
/// <c>AddMizzenCanary(configuration)</c> binds <c>Mizzen:Canary:Prometheus</c>; the <c>prometheus</c> source then queries that
/// address. The "Prometheus" here is a fake: a loopback Kestrel that records the paths asked for and answers an empty matrix.
/// </summary>
public sealed class PrometheusSourceConfigurationTests : IAsyncLifetime
{
    private const string EmptyMatrix = """{"status":"success","data":{"resultType":"matrix","result":[]}}""";
    private readonly List<string> requestedPaths = [];
    private WebApplication? fakePrometheus;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        fakePrometheus = builder.Build();
        fakePrometheus.MapGet("/{**path}", (HttpRequest request) =>
        {
            lock (requestedPaths)
            {
                requestedPaths.Add(request.Path + request.QueryString);
            }

            return Results.Text(EmptyMatrix, "application/json");
        });
        await fakePrometheus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (fakePrometheus is not null)
        {
            await fakePrometheus.DisposeAsync();
        }
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddMizzenCanary(configuration).BuildServiceProvider();
    }

    private static readonly CanaryConfig Config = CanaryConfigJson.Parse("""{"name":"c","metrics":[{"name":"m","query":{"type":"prometheus","customInlineTemplate":"PromQL:up"}}]}""");

    [Fact]
    public async Task The_prometheus_source_queries_the_base_address_bound_from_Mizzen_Canary_Prometheus()
    {
        // A path prefix proves the configured address is used as given (Prometheus behind a reverse proxy).
        var baseAddress = new Uri(new Uri(fakePrometheus!.Urls.First()), "prom/");
        using var services = Services(new() { ["Mizzen:Canary:Prometheus:BaseAddress"] = baseAddress.AbsoluteUri, ["Mizzen:Canary:Prometheus:Retry:MaxAttempts"] = "3" });

        var options = services.GetRequiredService<IOptions<PrometheusSourceOptions>>().Value;
        var source = services.GetRequiredService<MetricsSourceRegistry>().For(Config.Metrics[0], 0);
        var scope = new MetricScope("s", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), 60);
        var sets = await source.QueryAsync(Config, Config.Metrics[0], scope, CancellationToken.None);

        options.BaseAddress.ShouldBe(baseAddress);
        options.Retry.MaxAttempts.ShouldBe(3);
        sets.ShouldBeEmpty();
        requestedPaths.ShouldHaveSingleItem().ShouldStartWith("/prom/api/v1/query_range?query=up&");
    }

    [Fact]
    public void Without_the_section_the_default_base_address_is_kept()
    {
        using var services = Services([]);

        services.GetRequiredService<IOptions<PrometheusSourceOptions>>().Value.BaseAddress.ShouldBe(new Uri("http://127.0.0.1:9090/"));
    }

    [Theory]
    [InlineData("prometheus:9090")]
    [InlineData("/prometheus/")]
    [InlineData("ftp://prometheus:9090/")]
    public void A_base_address_that_is_not_an_absolute_http_url_stops_the_start_with_a_message_naming_the_setting(string value)
    {
        using var services = Services(new() { ["Mizzen:Canary:Prometheus:BaseAddress"] = value });

        // IStartupValidator is what the host runs at start for ValidateOnStart.
        var ex = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        ex.Message.ShouldContain("Mizzen:Canary:Prometheus:BaseAddress must be an absolute http or https URL");
        ex.Message.ShouldContain(value);
    }

    [Fact]
    public void Inconsistent_retry_settings_are_rejected_at_start_too()
    {
        using var services = Services(new() { ["Mizzen:Canary:Prometheus:Retry:MaxAttempts"] = "0" });

        var ex = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        ex.Message.ShouldContain("Mizzen:Canary:Prometheus:Retry is invalid");
    }
}
