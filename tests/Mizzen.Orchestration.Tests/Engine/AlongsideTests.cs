using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Persistence;
using Mizzen.Persistence.Audit;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// The steering calls' <c>alongside</c> overloads (what the audit log writes its records with): the work runs in the call's own
/// transaction and commits with the change; a refused call (a conflict, an unknown stage, a bad patch) never runs it and writes nothing.
/// </summary>
public abstract class AlongsideTests(StoreBackend backend) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private EngineHarness engine = null!;
    private int records;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }

    private Action<IStoreTransaction> Audit(string action, string runId) => transaction => transaction.AppendAudit(
        new AuditRecord($"01J{Interlocked.Increment(ref records):D23}", DateTimeOffset.UnixEpoch, "alice", action, $"execution:{runId}", null, null, null, null, null));

    private async Task<List<string>> StoredAsync() =>
        [.. (await engine.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery(), Ct)).Select(r => r.Action).Reverse()];

    [Fact]
    public async Task Each_steering_call_commits_its_alongside_work_with_the_change_and_a_refused_call_writes_none()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":600000}]}""");
        var stageId = EngineHarness.Stage(run, "slow").Id;

        await engine.Runner.PauseAsync(run.Id, "alice", Audit("paused", run.Id), Ct);
        await Should.ThrowAsync<ConflictException>(() => engine.Runner.PauseAsync(run.Id, "alice", Audit("paused twice", run.Id), Ct));
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Paused);
        await engine.Runner.ResumeAsync(run.Id, "alice", Audit("resumed", run.Id), Ct);
        await Should.ThrowAsync<ValidationException>(() =>
            engine.Runner.UpdateStageAsync(run.Id, stageId, new JsonObject { ["status"] = "SUCCEEDED" }, "alice", Audit("bad patch", run.Id), Ct));
        await Should.ThrowAsync<NotFoundException>(() => engine.Runner.RestartStageAsync(run.Id, "no-such-stage", "alice", Audit("restart unknown", run.Id), Ct));
        await engine.Runner.CancelAsync(run.Id, "alice", "enough", Audit("canceled", run.Id), Ct);
        await engine.RunUntilIdleAsync();

        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Canceled);
        (await StoredAsync()).ShouldBe(["paused", "resumed", "canceled"]);
    }

    [Fact]
    public async Task An_orchestration_start_runs_its_alongside_work_in_the_start_transaction()
    {
        PipelineExecution? seen = null;
        var run = await engine.Runner.StartOrchestrationAsync("app", "resize", JsonNode.Parse("""[{"refId":"1","type":"test.noop","name":"a"}]""")!.AsArray(), "alice",
            (transaction, execution, created) =>
            {
                seen = execution;
                created.ShouldBeTrue();
                Audit("orchestration.started", execution.Id)(transaction);
            }, Ct);
        await engine.RunUntilIdleAsync();

        seen.ShouldBeSameAs(run);
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        (await StoredAsync()).ShouldBe(["orchestration.started"]);
    }
}

public sealed class AlongsideTestsOnSqlite() : AlongsideTests(StoreBackend.Sqlite);

public sealed class AlongsideTestsOnPostgres() : AlongsideTests(StoreBackend.Postgres);
