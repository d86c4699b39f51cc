using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tests.Engine;
using Mizzen.Persistence;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Migration;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Postgres;

namespace Mizzen.Orchestration.Tests.Migration;

/// <summary>
/// <c>admin migrate-store</c>'s copier on a real SQLite file and a real PostgreSQL: a store holding every kind of record moves
/// whole (counts equal, every row byte-equal, leases released, sequences past the copied ids), and its runs finish on PostgreSQL.
/// </summary>
public sealed class SqliteToPostgresMigrationTests : IAsyncLifetime
{
    private const string Noop = """{"refId":"1","type":"test.noop","name":"work"}""";
    private EngineHarness sqlite = null!;
    private string database = "";

    private string DatabasePath => Path.Combine(sqlite.Folder, "mizzen.db");

    public async Task InitializeAsync()
    {
        sqlite = await EngineHarness.CreateAsync(Mizzen.Testing.Stores.StoreBackend.Sqlite);
        database = await TestPostgres.CreateDatabaseAsync("migrate");
    }

    public async Task DisposeAsync()
    {
        await sqlite.DisposeAsync();
        sqlite.DeleteFolder();
    }

    [Fact]
    public async Task A_store_with_every_kind_of_record_moves_whole_and_its_runs_finish_on_postgres()
    {
        var runs = await FillAsync();
        var queueBefore = StoreRows.Sqlite(DatabasePath, "queue", "id");
        queueBefore.Count(r => r[Column("queue", "lease_token")] is not null).ShouldBe(1, "one leased message");
        await sqlite.DisposeAsync();

        var report = await StoreMigration.RunAsync(Sqlite(), Postgres(), null, CancellationToken.None);

        report.Tables.Select(t => t.Table).ShouldBe(StoreRows.Tables.Select(t => t.Table));
        foreach (var (table, key) in StoreRows.Tables)
        {
            var expected = StoreRows.Sqlite(DatabasePath, table, key);
            if (table == "queue")
            {
                // Copied with every lease released.
                foreach (var row in expected)
                {
                    row[Column("queue", "lease_until")] = row[Column("queue", "lease_token")] = row[Column("queue", "lease_node")] = null;
                }
            }

            expected.ShouldNotBeEmpty($"the source store holds no {table}: the test does not cover it");
            var copied = await StoreRows.PostgresAsync(database, table, key, StoreRows.SqliteColumns(DatabasePath, table));
            copied.ShouldBe(expected, $"rows of {table}");
            report.Tables.Single(t => t.Table == table).ShouldSatisfyAllConditions(
                t => t.Source.ShouldBe(expected.Count),
                t => t.Target.ShouldBe(expected.Count));
        }

        report.Tables.Single(t => t.Table == "queue").Note.ShouldBe("1 leased, now deliverable");
        (await StoreRows.PostgresScalarAsync(database, "SELECT nextval(pg_get_serial_sequence('queue', 'id'))"))
            .ShouldBeGreaterThan(StoreRows.SqliteScalar(DatabasePath, "SELECT MAX(id) FROM queue"));
        (await StoreRows.PostgresScalarAsync(database, "SELECT nextval(pg_get_serial_sequence('pending_executions', 'id'))"))
            .ShouldBeGreaterThan(StoreRows.SqliteScalar(DatabasePath, "SELECT MAX(id) FROM pending_executions"));

        await using var postgres = EngineHarness.OnPostgres(database, sqlite.Clock);
        await postgres.RunUntilIdleAsync();
        (await postgres.GetAsync(runs.Leased)).Status.ShouldBe(ExecutionStatus.Succeeded, "the run whose message was leased on SQLite");

        await postgres.AdvanceAsync(TimeSpan.FromSeconds(6));
        (await postgres.GetAsync(runs.Limited[0])).Status.ShouldBe(ExecutionStatus.Succeeded, "the first concurrency-limited run");
        (await postgres.GetAsync(runs.Limited[1])).Status.ShouldBe(ExecutionStatus.Running, "the pending start, released by the first run's end");
        await postgres.AdvanceAsync(TimeSpan.FromSeconds(6));
        (await postgres.GetAsync(runs.Limited[1])).Status.ShouldBe(ExecutionStatus.Succeeded);

        var judgment = await postgres.GetAsync(runs.Judgment);
        judgment.Status.ShouldBe(ExecutionStatus.Running);
        await postgres.Runner.UpdateStageAsync(
            judgment.Id, EngineHarness.Stage(judgment, "approve").Id, new JsonObject { ["judgmentStatus"] = "continue" }, "alice", CancellationToken.None);
        await postgres.AdvanceAsync(TimeSpan.FromSeconds(12));
        (await postgres.GetAsync(runs.Judgment)).Status.ShouldBe(ExecutionStatus.Succeeded, "the judged run");

        postgres.Clock.Advance(TimeSpan.FromHours(1));
        await postgres.AdvanceAsync(TimeSpan.FromSeconds(31));
        (await postgres.GetAsync(runs.Waiting)).Status.ShouldBe(ExecutionStatus.Succeeded, "the run with a delayed message (wait stage)");

        // New rows take ids past the copied ones: a new run pushes messages without colliding.
        var fresh = await postgres.StartAndRunAsync($$"""{"name":"after-migration","stages":[{{Noop}}]}""");
        fresh.Status.ShouldBe(ExecutionStatus.Succeeded);
        (await postgres.GetAsync(runs.Finished)).Status.ShouldBe(ExecutionStatus.Succeeded);
        var revisions = await postgres.Configs.HistoryAsync((await postgres.Configs.FindByNameAsync("app", "deploy", CancellationToken.None))!.Id!, 10, CancellationToken.None);
        revisions.Count.ShouldBe(3);
        var documents = postgres.Services.GetRequiredService<IDocumentStore>();
        (await documents.RevisionsAsync("canary-config:app", "latency", CancellationToken.None)).Select(d => d.Revision).ShouldBe([1, 2]);
    }

    [Fact]
    public async Task A_leased_message_whose_twin_waits_is_left_out_and_the_twin_delivers_it()
    {
        var runs = await FillAsync();
        await using (var transaction = await sqlite.Services.GetRequiredService<IStore>().BeginAsync(CancellationToken.None))
        {
            transaction.Push(new OutgoingMessage(runs.LeasedMessage.Kind, runs.LeasedMessage.Payload, sqlite.Clock.GetUtcNow().ToUnixTimeMilliseconds()));
            await transaction.CommitAsync(CancellationToken.None);
        }

        await sqlite.DisposeAsync();

        var report = await StoreMigration.RunAsync(Sqlite(), Postgres(), null, CancellationToken.None);

        var queue = report.Tables.Single(t => t.Table == "queue");
        queue.Note.ShouldBe("1 leased duplicate(s) of a waiting message left out");
        queue.Target.ShouldBe(StoreRows.SqliteScalar(DatabasePath, "SELECT COUNT(*) FROM queue") - 1);
        (await StoreRows.PostgresScalarAsync(database, $"SELECT COUNT(*) FROM queue WHERE id = {runs.LeasedMessage.Id}")).ShouldBe(0);
        await using var postgres = EngineHarness.OnPostgres(database, sqlite.Clock);
        await postgres.RunUntilIdleAsync();
        (await postgres.GetAsync(runs.Leased)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_target_that_is_not_empty_is_refused_and_nothing_is_written()
    {
        await FillAsync();
        await sqlite.DisposeAsync();
        await using (var other = EngineHarness.OnPostgres(database, TestTime.Clock()))
        {
            await other.Services.GetRequiredService<IApplicationStore>().SaveAsync(new Application { Name = "already-here" }, CancellationToken.None);
        }

        var refused = await Should.ThrowAsync<StoreMigrationException>(() => StoreMigration.RunAsync(Sqlite(), Postgres(), null, CancellationToken.None));

        refused.Kind.ShouldBe(ErrorKind.Conflict);
        refused.Message.ShouldBe($"--to: {Postgres()} is not empty: applications (1 rows); migrate into a new, empty database (nothing was written)");
        foreach (var (table, _) in StoreRows.Tables)
        {
            (await StoreRows.PostgresScalarAsync(database, $"SELECT COUNT(*) FROM \"{table}\"")).ShouldBe(table == "applications" ? 1 : 0, table);
        }
    }

    [Fact]
    public async Task A_copy_that_stops_half_way_leaves_the_target_empty()
    {
        await FillAsync();
        await sqlite.DisposeAsync();
        using var stop = new CancellationTokenSource();

        await Should.ThrowAsync<OperationCanceledException>(() => StoreMigration.RunAsync(Sqlite(), Postgres(), copied =>
        {
            if (copied.Table == "executions")
            {
                stop.Cancel();
            }
        }, stop.Token));

        foreach (var (table, _) in StoreRows.Tables)
        {
            (await StoreRows.PostgresScalarAsync(database, $"SELECT COUNT(*) FROM \"{table}\"")).ShouldBe(0, table);
        }

        // The source is left usable: the same migration, run again, goes through.
        var report = await StoreMigration.RunAsync(Sqlite(), Postgres(), null, CancellationToken.None);
        report.Tables.Single(t => t.Table == "executions").Target.ShouldBe(StoreRows.SqliteScalar(DatabasePath, "SELECT COUNT(*) FROM executions"));
    }

    [Fact]
    public async Task Locations_name_the_argument_and_the_accepted_forms_and_never_show_a_password()
    {
        var wrong = Should.Throw<StoreMigrationException>(() => StoreLocation.Parse("--to", "mysql://db/mizzen"));
        wrong.Message.ShouldBe($"--to: 'mysql://db/mizzen' is not a store; expected {StoreLocation.AcceptedForms}");
        Should.Throw<StoreMigrationException>(() => StoreLocation.Parse("--from", "sqlite:")).Message.ShouldStartWith("--from: 'sqlite:' is not a store");
        Should.Throw<StoreMigrationException>(() => StoreLocation.Parse("--to", "postgres:Hots=db")).Message.ShouldStartWith("--to: not a PostgreSQL connection string");

        StoreLocation.Parse("--to", "postgres:Host=db;Port=5433;Database=mizzen;Username=ci;Password=hunter2").ToString().ShouldBe("postgres:db:5433/mizzen");
        StoreLocation.Parse("--from", $"sqlite:{sqlite.Folder}/mizzen.db").DataFolder.ShouldBe(Path.GetFullPath(sqlite.Folder));
        StoreLocation.Parse("--from", $"sqlite:{sqlite.Folder}").DataFolder.ShouldBe(Path.GetFullPath(sqlite.Folder));
        var backwards = await Should.ThrowAsync<StoreMigrationException>(() => StoreMigration.RunAsync(Postgres(), Sqlite(), null, CancellationToken.None));
        backwards.Message.ShouldStartWith("a store migrates from SQLite to PostgreSQL");
    }

    private StoreLocation Sqlite() => StoreLocation.Parse("--from", $"sqlite:{DatabasePath}");

    private StoreLocation Postgres() => StoreLocation.Parse("--to", $"postgres:{database}");

    private int Column(string table, string column) => StoreRows.SqliteColumns(DatabasePath, table).ToList().IndexOf(column);

    /// <summary>
    /// Fills the SQLite store with one of everything: applications, a pipeline with 3 revisions, a finished run, a run waiting for
    /// a judgment, a run in a wait stage (a delayed message), two concurrency-limited runs (one pending start), a run whose start
    /// message is leased, and a canary config with 2 revisions and a report.
    /// </summary>
    private async Task<Runs> FillAsync()
    {
        var applications = sqlite.Services.GetRequiredService<IApplicationStore>();
        await applications.SaveAsync(new Application { Name = "app", Email = "team@example.com" }, CancellationToken.None);
        await applications.SaveAsync(new Application { Name = "billing", Description = "ünïcode — kept byte for byte" }, CancellationToken.None);
        for (var revision = 1; revision <= 3; revision++)
        {
            var config = PipelineConfig.Parse($$"""{"application":"app","name":"deploy","description":"revision {{revision}}","stages":[{{Noop}}]}""");
            await sqlite.Configs.SaveAsync(config, "alice", CancellationToken.None);
        }

        var finished = await sqlite.StartAndRunAsync($$"""{"name":"build","stages":[{{Noop}}]}""");
        finished.Status.ShouldBe(ExecutionStatus.Succeeded);
        var judgment = await sqlite.StartAndRunAsync("""{"name":"approve","stages":[{"refId":"1","type":"manualJudgment","name":"approve"}]}""");
        judgment.Status.ShouldBe(ExecutionStatus.Running);
        var waiting = await sqlite.StartAndRunAsync("""{"name":"soak","stages":[{"refId":"1","type":"wait","name":"soak","waitTime":3600}]}""");
        waiting.Status.ShouldBe(ExecutionStatus.Running);
        const string Limited = """{"name":"limited","limitConcurrent":true,"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":5000}]}""";
        var first = await sqlite.StartAsync(Limited);
        var second = await sqlite.StartAsync(Limited);
        await sqlite.RunUntilIdleAsync();
        (await sqlite.GetAsync(second.Id)).Status.ShouldBe(ExecutionStatus.NotStarted);

        var leased = await sqlite.StartAsync($$"""{"name":"late","stages":[{{Noop}}]}""");
        var claimed = (await sqlite.Services.GetRequiredService<IMessageQueue>().ClaimAsync(1, TimeSpan.FromMinutes(5), CancellationToken.None)).ShouldHaveSingleItem();
        StoreRows.SqliteScalar(DatabasePath, $"SELECT COUNT(*) FROM queue WHERE deliver_at > {sqlite.Clock.GetUtcNow().ToUnixTimeMilliseconds()}")
            .ShouldBeGreaterThan(0, "a delayed message");

        var documents = sqlite.Services.GetRequiredService<IDocumentStore>();
        await documents.SaveRevisionAsync("canary-config:app", "latency", """{"name":"latency","metrics":[]}""", "alice", CancellationToken.None);
        await documents.SaveRevisionAsync("canary-config:app", "latency", """{"name":"latency","metrics":[{"name":"p99"}]}""", "bob", CancellationToken.None);
        await documents.PutAsync("canary-report:app", "run-1", """{"score":97.5,"classification":"Pass"}""", "mizzen", CancellationToken.None);
        await sqlite.Services.GetRequiredService<Mizzen.Persistence.Audit.IAuditStore>().AppendAsync(
        [
            new("01JAUDIT000000000000000001", sqlite.Clock.GetUtcNow(), "alice", "pipeline.saved", "pipeline:app/deploy", "10.0.0.7", null,
                """{"description":"revision 2"}""", """{"description":"revision 3"}""", "revision 3"),
            new("01JAUDIT000000000000000002", sqlite.Clock.GetUtcNow(), "bob", "login.failed", "user:bob", null, 401, null, null, null),
        ], CancellationToken.None);
        return new Runs(finished.Id, judgment.Id, waiting.Id, [first.Id, second.Id], leased.Id, claimed);
    }

    private sealed record Runs(string Finished, string Judgment, string Waiting, string[] Limited, string Leased, QueueMessage LeasedMessage);
}
