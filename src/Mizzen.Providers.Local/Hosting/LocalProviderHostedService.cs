using Microsoft.Extensions.Hosting;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.Hosting;

/// <summary>
/// At start: restores every stored server group and load balancer (re-adopting live instances) and starts the metrics collector.
/// At stop: stops supervising and listening, but leaves instances running unless configured otherwise.
/// </summary>
internal sealed class LocalProviderHostedService(LocalCloudProvider provider, MetricsCollector collector) : IHostedService
{
    private readonly CancellationTokenSource stopping = new();
    private Task collecting = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await provider.RestoreAsync(cancellationToken);
        collecting = collector.RunAsync(stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await collecting;
        await provider.DisposeAsync();
    }
}
