using Microsoft.Extensions.Options;
using Mizzen.Providers.Local.Accounts;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Instances;
using Mizzen.Providers.Local.State;

namespace Mizzen.Providers.Local.Tests.Unit;

public sealed class StorageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-store-").FullName;

    [Fact]
    public async Task File_store_saves_loads_lists_and_deletes_json_records_without_leaving_temp_files()
    {
        var store = new FileLocalStateStore(Options.Create(new LocalProviderOptions
        {
            Accounts = [new LocalAccountOptions { Name = "prod", WorkingFolder = folder }],
        }));

        await store.SaveAsync(LocalRecordKind.ServerGroup, "prod", "demo-v000", """{"a":1}""", CancellationToken.None);
        await store.SaveAsync(LocalRecordKind.ServerGroup, "prod", "demo-v000", """{"a":2}""", CancellationToken.None);
        await store.SaveAsync(LocalRecordKind.ServerGroup, "prod", "demo-v001", """{"a":3}""", CancellationToken.None);

        (await store.LoadAsync(LocalRecordKind.ServerGroup, "prod", "demo-v000", CancellationToken.None)).ShouldBe("""{"a":2}""");
        (await store.LoadAllAsync(LocalRecordKind.ServerGroup, "prod", CancellationToken.None)).ShouldBe(["""{"a":2}""", """{"a":3}"""]);
        (await store.LoadAllAsync(LocalRecordKind.LoadBalancer, "prod", CancellationToken.None)).ShouldBeEmpty();
        await store.DeleteAsync(LocalRecordKind.ServerGroup, "prod", "demo-v000", CancellationToken.None);
        (await store.LoadAsync(LocalRecordKind.ServerGroup, "prod", "demo-v000", CancellationToken.None)).ShouldBeNull();
        Directory.EnumerateFiles(folder, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
        Should.Throw<ArgumentException>(() => store.SaveAsync(LocalRecordKind.Cluster, "prod", "../escape", "{}", CancellationToken.None));
    }

    [Fact]
    public void Logs_rotate_at_the_size_limit_keep_a_bounded_number_of_files_and_offsets_survive_rotation()
    {
        var logs = new InstanceLogs(folder, maxBytes: 1000, filesKept: 3);
        var path = logs.PathOf(LogStream.Stdout);
        long written = 0;
        for (var round = 0; round < 20; round++)
        {
            using (var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)))
            {
                for (var line = 0; line < 30; line++)
                {
                    var text = $"round {round:D2} line {line:D2}\n";
                    writer.Write(text);
                    written += text.Length;
                }
            }

            logs.RotateIfNeeded();
        }

        var files = Directory.GetFiles(folder, "stdout.log*").Where(f => !f.EndsWith(".offset", StringComparison.Ordinal)).ToList();
        files.Count.ShouldBe(3);
        files.Sum(f => new FileInfo(f).Length).ShouldBeLessThanOrEqualTo(3 * (1000 + 30 * 20));
        logs.Tail(LogStream.Stdout, 2).Text.ShouldBe("round 19 line 28\nround 19 line 29\n");
        var end = logs.Read(LogStream.Stdout, long.MaxValue, 0).NextOffset;
        end.ShouldBe(written);
        var fromStart = logs.Read(LogStream.Stdout, 0, 100);
        fromStart.Truncated.ShouldBeTrue();
        fromStart.Offset.ShouldBeGreaterThan(0);
        fromStart.Text.ShouldStartWith("round ");
        var follow = logs.Read(LogStream.Stdout, end - 17, 1000);
        follow.Text.ShouldBe("round 19 line 29\n");
        follow.NextOffset.ShouldBe(end);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
