using System.Text;
using Microsoft.Extensions.Options;

namespace Mizzen.Providers.Local.State;

/// <summary>
/// One JSON file per record in <c>&lt;workingFolder&gt;/state/&lt;kind&gt;/&lt;name&gt;.json</c>, written atomically:
/// a temp file in the same folder, flushed to disk (fsync), then renamed over the old one.
/// </summary>
internal sealed class FileLocalStateStore(IOptions<LocalProviderOptions> options) : ILocalStateStore
{
    private readonly Dictionary<string, string> folders = options.Value.Accounts
        .Where(a => string.Equals(a.Type, "local", StringComparison.OrdinalIgnoreCase))
        .ToDictionary(a => a.Name, a => Path.Combine(Path.GetFullPath(a.WorkingFolder), "state"), StringComparer.Ordinal);

    public async Task SaveAsync(LocalRecordKind kind, string account, string name, string json, CancellationToken cancellationToken)
    {
        var folder = KindFolder(kind, account);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, FileName(name));
        var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(json), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public async Task<string?> LoadAsync(LocalRecordKind kind, string account, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(KindFolder(kind, account), FileName(name));
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    public async Task<IReadOnlyList<string>> LoadAllAsync(LocalRecordKind kind, string account, CancellationToken cancellationToken)
    {
        var folder = KindFolder(kind, account);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var records = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            records.Add(await File.ReadAllTextAsync(path, cancellationToken));
        }

        return records;
    }

    public Task DeleteAsync(LocalRecordKind kind, string account, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(KindFolder(kind, account), FileName(name));
        File.Delete(path);
        return Task.CompletedTask;
    }

    private string KindFolder(LocalRecordKind kind, string account)
    {
        if (!folders.TryGetValue(account, out var root))
        {
            throw new Core.Errors.NotFoundException($"There is no local account named '{account}'");
        }

        return Path.Combine(root, kind switch
        {
            LocalRecordKind.ServerGroup => "server-groups",
            LocalRecordKind.LoadBalancer => "load-balancers",
            _ => "clusters",
        });
    }

    private static string FileName(string name)
    {
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' cannot name a state record", nameof(name));
        }

        return name + ".json";
    }
}
