using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>Reads every stored run of an application back, a page of 1,000 at a time.</summary>
internal static class StoredRuns
{
    public static async Task<List<PipelineExecution>> ReadAllAsync(IServiceProvider services, string application, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IExecutionStore>();
        var all = new List<PipelineExecution>();
        string? before = null;
        while (true)
        {
            var page = await store.ListAsync(new ExecutionQuery { Application = application, Limit = 1000, Before = before }, cancellationToken);
            all.AddRange(page);
            if (page.Count < 1000)
            {
                return all;
            }

            before = page[^1].Id;
        }
    }
}
