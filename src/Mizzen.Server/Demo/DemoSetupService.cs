using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Demo;

/// <summary>
/// <c>serve --demo</c>: sets up the first-run demo in the background once the server is up, idempotently (what exists is left alone):
/// application <c>demo</c>, the two load balancers, the release bundles, the pipelines, v1 in staging and prod; then sends steady
/// traffic to prod until the server stops.
/// </summary>
internal sealed partial class DemoSetupService(
    ServeArguments arguments,
    DemoApplication application,
    DemoLoadBalancers loadBalancers,
    DemoBundleBuilder bundles,
    DemoPipelineSaver pipelines,
    DemoFirstDeploy firstDeploy,
    DemoTrafficGenerator traffic,
    IServer server,
    ILogger<DemoSetupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and the local provider restore what it runs) before touching anything.
        await Task.Yield();
        try
        {
            await application.EnsureAsync(stoppingToken);
            var (staging, prod) = await loadBalancers.EnsureAsync(stoppingToken);
            var environment = new DemoEnvironment(Path.Combine(DemoEnvironment.FolderIn(arguments.DataFolder), "bundles")) { StagingUrl = staging, ProdUrl = prod };
            var built = await bundles.EnsureAsync(environment, stoppingToken);
            await pipelines.SaveAsync(environment, stoppingToken);
            var deployment = built
                ? await firstDeploy.StartAsync(environment, stoppingToken)
                : "Nothing is deployed: the release bundles could not be built (see the error above).";
            foreach (var line in DemoWelcome.Lines(ApiUrl(), environment, deployment))
            {
                LogWelcome(line);
            }

            await traffic.RunAsync(prod, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is Core.Errors.MizzenException or IOException or InvalidOperationException)
        {
            LogFailed(e);
        }
    }

    private string ApiUrl() =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? arguments.Url;

    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "{Line}")]
    private partial void LogWelcome(string line);

    [LoggerMessage(EventId = 8109, Level = LogLevel.Error, Message = "Demo: setup failed; the server keeps running without the demo")]
    private partial void LogFailed(Exception exception);
}
