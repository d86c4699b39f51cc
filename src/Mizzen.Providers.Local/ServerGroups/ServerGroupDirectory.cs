using System.Collections.Concurrent;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.ServerGroups;

/// <summary>The live server groups of every local account, by account and name.</summary>
internal sealed class ServerGroupDirectory
{
    private readonly ConcurrentDictionary<(string Account, string Name), ServerGroupRuntime> groups = new();

    public IEnumerable<ServerGroupRuntime> All => groups.Values;

    public ServerGroupRuntime? Find(string account, string name) => groups.GetValueOrDefault((account, name));

    public ServerGroupRuntime Get(string account, string name) =>
        Find(account, name) ?? throw new NotFoundException($"Server group '{name}' does not exist in account '{account}'");

    public void Add(ServerGroupRuntime group) => groups[(group.Account, group.Name)] = group;

    public void Remove(ServerGroupRuntime group) => groups.TryRemove((group.Account, group.Name), out _);

    public void Clear() => groups.Clear();
}
