using Microsoft.Extensions.DependencyInjection;
using Mizzen.Persistence.Audit;
using Mizzen.Server.Audit;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Audit;

/// <summary>
/// A queued entry (here the middleware's record of a refused request) is written before its response goes out: with the audit table's
/// batch write held at a gate, the client has no answer yet; once the batch is written, the answer comes and the record is there.
/// </summary>
public sealed class AuditGroupCommitTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync(demo: false, [("local", "21200-21299")], services: services =>
    {
        services.AddSingleton<AuditGate>();
        services.Decorate<IAuditStore, GatedAuditStore>();

        // Longer than any stall of a busy machine between the gate and the check: only the gate may release the response here.
        services.Configure<AuditOptions>(o => o.DurableWait = TimeSpan.FromMinutes(5));
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_refused_request_is_answered_only_after_the_batch_holding_its_record_is_written()
    {
        var gate = server.Services.GetRequiredService<AuditGate>();

        var answer = server.SendAsync(HttpMethod.Put, "/pipelines/01NOSUCHRUN0000000000000000/pause");
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        answer.IsCompleted.ShouldBeFalse("the response waits for the batch holding its record");
        gate.Open.SetResult();
        (await answer).Status.ShouldBe(404);
        var stored = await server.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery { Action = "http." }, CancellationToken.None);
        stored.ShouldHaveSingleItem().Target.ShouldBe("/pipelines/01NOSUCHRUN0000000000000000/pause");
    }

    /// <summary>Where a test holds the audit log's batch writes of <c>http.*</c> entries.</summary>
    internal sealed class AuditGate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The real audit store, whose batch writes holding an <c>http.*</c> entry wait for <see cref="AuditGate.Open"/>.</summary>
    internal sealed class GatedAuditStore(IAuditStore inner, AuditGate gate) : IAuditStore
    {
        public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
        {
            if (records.Any(r => r.Action.StartsWith("http.", StringComparison.Ordinal)))
            {
                gate.Entered.TrySetResult();
                await gate.Open.Task.WaitAsync(cancellationToken);
            }

            await inner.AppendAsync(records, cancellationToken);
        }

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

        public Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) => inner.PurgeAsync(cutoff, batch, cancellationToken);
    }
}
