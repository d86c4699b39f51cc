using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.ListQueries;
using Mizzen.Engine.Benchmarks.Reporting;
using Mizzen.Persistence;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;

namespace Mizzen.Engine.Benchmarks.Profiling;

/// <summary>
/// Where one message's time goes, in Stopwatch sections built up one step at a time on a store holding one
/// 10-stage run: an empty write transaction, then loading the run, then changing one stage, then pushing a message;
/// beside them the claim transaction, the snapshot read RunTask makes, and the JSON work alone.
/// </summary>
internal static class TransactionCostProfile
{
    public static async Task<IReadOnlyList<(string Step, Percentiles Microseconds)>> RunAsync(BenchOptions options, int iterations, CancellationToken cancellationToken)
    {
        var folder = BenchServices.NewFolder(options, "profile");
        try
        {
            await using var services = BenchServices.Build(folder, 16);
            var store = services.GetRequiredService<IStore>();
            await new FinishedRunSeeder(store, options.Stages).SeedAsync("app", 1, 1, cancellationToken);
            var executions = services.GetRequiredService<IExecutionStore>();
            var id = (await executions.ListAsync(new ExecutionQuery { Application = "app", Limit = 1 }, cancellationToken))[0].Id;
            var queue = services.GetRequiredService<IMessageQueue>();
            var later = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() / 2;
            var flip = 0;

            async Task Change(bool push)
            {
                await using var transaction = await store.BeginAsync(cancellationToken);
                var run = (await transaction.LoadExecutionAsync(id, cancellationToken))!;
                run.Stages[flip++ % run.Stages.Count].Context["profiled"] = flip;
                if (push)
                {
                    transaction.Push(new OutgoingMessage("profile", "{\"executionId\":\"" + id + "\"}", later));
                }

                await transaction.CommitAsync(cancellationToken);
            }

            var run = (await executions.GetAsync(id, cancellationToken))!;
            var header = ExecutionSerializer.SerializeHeader(run);
            var stageRows = run.Stages.Select(ExecutionSerializer.SerializeStage).ToList();
            return
            [
                ($"empty write tx (BEGIN IMMEDIATE; COMMIT) via IStore", await Time(iterations, async () =>
                {
                    await using var transaction = await store.BeginAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                })),
                ($"+ LoadExecutionAsync ({run.Stages.Count} stages), nothing changed", await Time(iterations, async () =>
                {
                    await using var transaction = await store.BeginAsync(cancellationToken);
                    await transaction.LoadExecutionAsync(id, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                })),
                ("+ one stage changed (diff serializes all rows)", await Time(iterations, () => Change(push: false))),
                ("+ one message pushed", await Time(iterations, () => Change(push: true))),
                ("ClaimAsync(16), nothing due (own write tx)", await Time(iterations, () => queue.ClaimAsync(16, TimeSpan.FromMinutes(5), cancellationToken))),
                ("IExecutionStore.GetAsync (RunTask's snapshot read)", await Time(iterations, () => executions.GetAsync(id, cancellationToken))),
                ($"CPU only: deserialize header + {run.Stages.Count} stages", await Time(iterations, () =>
                {
                    var copy = ExecutionSerializer.DeserializeHeader(header);
                    foreach (var row in stageRows)
                    {
                        copy.Stages.Add(ExecutionSerializer.DeserializeStage(row));
                    }

                    return Task.CompletedTask;
                })),
                ($"CPU only: serialize header + {run.Stages.Count} stages (the commit-time diff)", await Time(iterations, () =>
                {
                    ExecutionSerializer.SerializeHeader(run);
                    foreach (var stage in run.Stages)
                    {
                        ExecutionSerializer.SerializeStage(stage);
                    }

                    return Task.CompletedTask;
                })),
                ($"(stored sizes: header {header.Length} chars, stage ~{stageRows.Average(r => r.Length):N0} chars)", new Percentiles([])),
            ];
        }
        finally
        {
            BenchServices.DeleteFolder(folder);
        }
    }

    private static async Task<Percentiles> Time(int iterations, Func<Task> step)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            await step();
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await step();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return new Percentiles(samples);
    }
}
