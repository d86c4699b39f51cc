using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests.Audit;

/// <summary>
/// A store write and its audit record commit together or not at all, on every backend: the record is in the table as soon as the write
/// returns (no queue, no flush), a refused write or one that fails after its statements ran leaves neither the change nor the record,
/// and the record carries what the transaction saw (the config before the save, the new revision, the deleted body).
/// </summary>
public abstract class AuditedWritesContract(StoreBackend backend) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private StoreServices services = null!;
    private int nextId;

    public async Task InitializeAsync() => services = await StoreServices.CreateAsync(backend, TestTime.Clock());

    public async Task DisposeAsync() => await services.DisposeAsync();

    private IAuditStore Audit => services.Get<IAuditStore>();

    private Task<IReadOnlyList<AuditRecord>> RecordsAsync(string action) => Audit.QueryAsync(new AuditQuery { Action = action }, Ct);

    private AuditRecord Record(string action, string target, string? before = null, string? after = null, string? detail = null) =>
        new($"01J{Interlocked.Increment(ref nextId):D23}", T0, "ann", action, target, "127.0.0.1", null, before, after, detail);

    [Fact]
    public async Task A_pipeline_save_has_its_record_when_it_returns_with_the_stored_config_before_and_the_new_revision()
    {
        var store = services.Get<IPipelineConfigStore>();
        var first = PipelineConfig.Parse("""{"application":"shop","name":"deploy","stages":[{"refId":"1","type":"wait","waitTime":1}]}""");
        (await store.SaveAsync(first, "ann", (before, revision) => Record("pipeline.saved", first.Id!, before, first.Json.ToJsonString(), $"revision {revision}"), Ct))
            .ShouldBe(1);
        var second = PipelineConfig.Parse($$"""{"id":"{{first.Id}}","application":"shop","name":"deploy","stages":[{"refId":"1","type":"wait","waitTime":5}]}""");
        await store.SaveAsync(second, "bob", (before, revision) => Record("pipeline.saved", second.Id!, before, second.Json.ToJsonString(), $"revision {revision}"), Ct);

        var saves = await RecordsAsync("pipeline.saved");

        saves.Select(r => r.Detail).ShouldBe(["revision 2", "revision 1"]);
        saves[1].Before.ShouldBeNull("a new pipeline has no before");
        saves[1].Target.ShouldBe(first.Id);
        JsonNode.Parse(saves[0].Before!)!["stages"]![0]!["waitTime"]!.GetValue<int>().ShouldBe(1);
        JsonNode.Parse(saves[0].After!)!["stages"]![0]!["waitTime"]!.GetValue<int>().ShouldBe(5);
        JsonNode.Parse(saves[0].After!)!["lastModifiedBy"]!.GetValue<string>().ShouldBe("bob", "the record holds the config as stored");
    }

    [Fact]
    public async Task A_refused_pipeline_save_and_a_save_whose_record_fails_leave_neither_the_change_nor_a_record()
    {
        var store = services.Get<IPipelineConfigStore>();
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"deploy","id":"aaa","stages":[]}"""), "ann", Ct);

        await Should.ThrowAsync<ConflictException>(() => store.SaveAsync(
            PipelineConfig.Parse("""{"application":"shop","name":"Deploy","id":"bbb","stages":[]}"""), "bob", (_, _) => Record("pipeline.saved", "bbb"), Ct));

        // The record is built after the config's rows were written: its failure rolls them back.
        await Should.ThrowAsync<InvalidOperationException>(() => store.SaveAsync(
            PipelineConfig.Parse("""{"application":"shop","name":"deploy","id":"aaa","stages":[],"description":"v2"}"""), "bob",
            (_, _) => throw new InvalidOperationException("no record, no change"), Ct));

        (await RecordsAsync("pipeline.")).ShouldBeEmpty();
        (await store.HistoryAsync("aaa", 10, Ct)).Select(r => r.Revision).ShouldBe([1]);
        (await store.GetAsync("aaa", Ct))!.Json["description"].ShouldBeNull();
        (await store.HistoryAsync("bbb", 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_pipeline_delete_records_the_deleted_body_and_a_failed_record_keeps_the_pipeline()
    {
        var store = services.Get<IPipelineConfigStore>();
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"deploy","id":"aaa","stages":[]}"""), "ann", Ct);

        await Should.ThrowAsync<InvalidOperationException>(() => store.DeleteAsync("aaa", _ => throw new InvalidOperationException("no record"), Ct));
        (await store.GetAsync("aaa", Ct)).ShouldNotBeNull("the delete rolled back with its record");

        (await store.DeleteAsync("aaa", before => Record("pipeline.deleted", "aaa", before), Ct)).ShouldBeTrue();
        (await store.DeleteAsync("aaa", before => Record("pipeline.deleted", "aaa", before), Ct)).ShouldBeFalse();

        var deleted = (await RecordsAsync("pipeline.deleted")).ShouldHaveSingleItem("a delete that found nothing records nothing");
        PipelineConfig.Parse(deleted.Before!).Name.ShouldBe("deploy");
        (await store.GetAsync("aaa", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Application_saves_and_deletes_record_the_application_as_stored_before_in_their_transaction()
    {
        var store = services.Get<IApplicationStore>();
        await store.SaveAsync(new Application { Name = "Web", Email = "one@example.com" }, before => Record("application.saved", "web", before?.Email), Ct);
        await store.SaveAsync(new Application { Name = "web", Email = "two@example.com" }, before => Record("application.saved", "web", before?.Email), Ct);
        await Should.ThrowAsync<InvalidOperationException>(() =>
            store.SaveAsync(new Application { Name = "web", Email = "three@example.com" }, _ => throw new InvalidOperationException("no record"), Ct));
        await Should.ThrowAsync<InvalidOperationException>(() => store.DeleteAsync("web", _ => throw new InvalidOperationException("no record"), Ct));

        (await store.GetAsync("web", Ct))!.Email.ShouldBe("two@example.com", "neither failed write changed anything");
        (await store.DeleteAsync("web", before => Record("application.deleted", "web", before.Email), Ct)).ShouldBeTrue();
        (await store.DeleteAsync("web", before => Record("application.deleted", "web", before.Email), Ct)).ShouldBeFalse();

        (await RecordsAsync("application.")).Select(r => (r.Action, r.Before)).ShouldBe(
            [("application.deleted", "two@example.com"), ("application.saved", "one@example.com"), ("application.saved", (string?)null)]);
        (await store.GetAsync("web", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Document_revisions_and_deletes_commit_with_their_records()
    {
        var store = services.Get<IDocumentStore>();
        var saved = await store.SaveRevisionAsync("canary-configs/shop", "c1", """{"name":"c1"}""", "ann", document => Record("doc.saved", document.Key, detail: $"revision {document.Revision}"), Ct);
        await Should.ThrowAsync<InvalidOperationException>(() =>
            store.SaveRevisionAsync("canary-configs/shop", "c1", """{"name":"c1b"}""", "ann", _ => throw new InvalidOperationException("no record"), Ct));
        await Should.ThrowAsync<InvalidOperationException>(() =>
            store.DeleteAsync("canary-configs/shop", "c1", () => throw new InvalidOperationException("no record"), Ct));

        (await store.RevisionsAsync("canary-configs/shop", "c1", Ct)).ShouldHaveSingleItem().ShouldBe(saved);
        (await store.DeleteAsync("canary-configs/shop", "c1", () => Record("doc.deleted", "c1"), Ct)).ShouldBeTrue();
        (await store.DeleteAsync("canary-configs/shop", "c1", () => Record("doc.deleted", "c1"), Ct)).ShouldBeFalse();

        (await RecordsAsync("doc.")).Select(r => (r.Action, r.Detail)).ShouldBe([("doc.deleted", (string?)null), ("doc.saved", "revision 1")]);
    }

    [Fact]
    public async Task An_unversioned_document_put_commits_with_its_record()
    {
        var store = services.Get<IDocumentStore>();
        await store.PutAsync("auth-tokens", "t1", "{\"v\":1}", "ann", document => Record("token.created", document.Key, after: document.Body), Ct);
        await Should.ThrowAsync<InvalidOperationException>(() =>
            store.PutAsync("auth-tokens", "t2", "{\"v\":2}", "ann", _ => throw new InvalidOperationException("no record"), Ct));

        (await store.GetAsync("auth-tokens", "t2", null, Ct)).ShouldBeNull();
        (await RecordsAsync("token.")).ShouldHaveSingleItem().After.ShouldBe("{\"v\":1}");
    }

    [Fact]
    public async Task An_engine_transaction_writes_its_records_at_commit_and_none_when_it_rolls_back()
    {
        var store = services.Get<IStore>();
        await using (var rolledBack = await store.BeginAsync(Ct))
        {
            rolledBack.AddExecution(Run("run-1"));
            rolledBack.AppendAudit(Record("execution.started", "execution:run-1"));
        }

        await using (var committed = await store.BeginAsync(Ct))
        {
            committed.AddExecution(Run("run-2"));
            committed.AppendAudit(Record("execution.started", "execution:run-2"));
            committed.AppendAudit(Record("execution.canceled", "execution:run-2"));
            await committed.CommitAsync(Ct);
        }

        (await services.Get<IExecutionStore>().GetAsync("run-1", Ct)).ShouldBeNull();
        (await services.Get<IExecutionStore>().GetAsync("run-2", Ct)).ShouldNotBeNull();
        (await Audit.QueryAsync(new AuditQuery(), Ct)).Select(r => (r.Action, r.Target))
            .ShouldBe([("execution.canceled", "execution:run-2"), ("execution.started", "execution:run-2")]);
    }

    private static PipelineExecution Run(string id) => new()
    {
        Id = id,
        Application = "shop",
        PipelineConfigId = "cfg",
        Status = ExecutionStatus.NotStarted,
        BuildTime = T0.ToUnixTimeMilliseconds(),
        Trigger = new JsonObject { ["type"] = "manual" },
    };
}

public sealed class AuditedWritesOnSqlite() : AuditedWritesContract(StoreBackend.Sqlite);

public sealed class AuditedWritesOnPostgres() : AuditedWritesContract(StoreBackend.Postgres);
