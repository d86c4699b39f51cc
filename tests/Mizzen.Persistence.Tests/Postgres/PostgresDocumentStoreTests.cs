using Microsoft.Extensions.Time.Testing;
using Mizzen.Testing;
using Mizzen.Testing.Postgres;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>Document revisions saved from several nodes at once.</summary>
public sealed class PostgresDocumentStoreTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();

    [Fact]
    public async Task Saves_from_two_nodes_at_once_get_distinct_consecutive_revisions()
    {
        var database = await TestPostgres.CreateDatabaseAsync("docs");
        await using var a = PostgresNode.Start(database, "node-a", clock);
        await using var b = PostgresNode.Start(database, "node-b", clock);
        const int saves = 24;

        var stored = await Task.WhenAll(Enumerable.Range(0, saves).Select(i =>
            (i % 2 == 0 ? a : b).Documents.SaveRevisionAsync("canary-config:app", "cfg", $"{{\"n\":{i}}}", $"user-{i}", CancellationToken.None)));

        stored.Select(d => d.Revision).Order().ShouldBe(Enumerable.Range(1, saves));
        var revisions = await a.Documents.RevisionsAsync("canary-config:app", "cfg", CancellationToken.None);
        revisions.Select(d => d.Revision).ShouldBe(Enumerable.Range(1, saves));
        foreach (var saved in stored)
        {
            revisions[saved.Revision - 1].ShouldBe(saved);
        }

        (await b.Documents.GetAsync("canary-config:app", "cfg", null, CancellationToken.None))!.Revision.ShouldBe(saves);
    }
}
