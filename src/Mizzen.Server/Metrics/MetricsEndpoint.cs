using System.Globalization;
using System.Text;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;
using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Metrics;

/// <summary><c>/metrics</c> in Prometheus text format: queue depth, message handling latency, executions by status, stage durations, load balancers.</summary>
public static class MetricsEndpoint
{
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", async (IMessageQueue queue, IExecutionStore executions, EngineMetrics engine, IServiceProvider services, CancellationToken ct) =>
        {
            var output = new StringBuilder();
            output.AppendLine("# HELP mizzen_queue_depth Messages in the engine's queue (due or scheduled).");
            output.AppendLine("# TYPE mizzen_queue_depth gauge");
            output.Append(CultureInfo.InvariantCulture, $"mizzen_queue_depth {await queue.DepthAsync(ct)}\n");
            output.AppendLine("# HELP mizzen_executions Stored executions by status.");
            output.AppendLine("# TYPE mizzen_executions gauge");
            foreach (var (status, count) in await executions.CountByStatusAsync(ct))
            {
                output.Append(CultureInfo.InvariantCulture, $"mizzen_executions{{status=\"{status}\"}} {count}\n");
            }

            engine.Write(output);
            services.GetService<Ui.Components.LiveLogReaders>()?.Write(output);
            if (services.GetService<ILocalMetrics>() is { } local)
            {
                using var writer = new StringWriter(output, CultureInfo.InvariantCulture);
                local.WritePrometheus(writer);
            }

            return Results.Text(output.ToString(), "text/plain; version=0.0.4");
        });
        return routes;
    }
}
