using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>
/// The engine's latency without a queue in front of it: one run at a time, each started when the previous one ended
/// (noticed through <see cref="ExecutionEvents"/>). Returns the stage-to-stage gaps in ms.
/// </summary>
internal static class SequentialRuns
{
    public static async Task<Percentiles> GapsAsync(
        IExecutionRunner runner, IExecutionStore store, ExecutionEvents events, PipelineConfig config, int runs, CancellationToken cancellationToken)
    {
        var gaps = new List<double>();
        using var subscription = events.Subscribe(null, config.Application);
        for (var i = 0; i < runs; i++)
        {
            var started = await runner.StartAsync(config, [], "bench", cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            PipelineExecution? run;
            do
            {
                await subscription.Changes.ReadAsync(timeout.Token);
                run = await store.GetAsync(started.Id, timeout.Token);
            }
            while (run is null || !run.Status.IsComplete());

            var stages = run.Stages.OrderBy(s => s.StartTime).ToList();
            for (var s = 1; s < stages.Count; s++)
            {
                gaps.Add((double)(stages[s].StartTime!.Value - stages[s - 1].EndTime!.Value));
            }
        }

        return new Percentiles(gaps);
    }
}
