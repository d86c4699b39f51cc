namespace Mizzen.Providers.Local.Accounts;

/// <summary>A configured local account, resolved: its folders, its port allocator and the node that owns it.</summary>
internal sealed class LocalAccount
{
    public LocalAccount(string name, string workingFolder, PortRange ports, string? node = null, Uri? nodeUrl = null, bool isRemote = false)
    {
        Name = name;
        WorkingFolder = Path.GetFullPath(workingFolder);
        Ports = ports;
        PortAllocator = new PortAllocator(name, ports);
        Node = node;
        NodeUrl = nodeUrl;
        IsRemote = isRemote;
    }

    public string Name { get; }

    public string WorkingFolder { get; }

    public PortRange Ports { get; }

    public PortAllocator PortAllocator { get; }

    /// <summary>The configured owner node; null when unset (every node that reads the setting owns it).</summary>
    public string? Node { get; }

    public Uri? NodeUrl { get; }

    /// <summary>Owned by another node: nothing of it runs here and its folder is not this host's to touch.</summary>
    public bool IsRemote { get; }

    public string ServerGroupFolder(string serverGroup) => Path.Combine(WorkingFolder, "server-groups", serverGroup);

    public string InstanceFolder(string serverGroup, string instanceId) => Path.Combine(ServerGroupFolder(serverGroup), "instances", instanceId);

    public string JobsFolder => Path.Combine(WorkingFolder, "jobs");

    public string JobFolder(string jobId) => Path.Combine(JobsFolder, jobId);

    public string DownloadFolder => Path.Combine(WorkingFolder, "downloads");

    public string StateFolder => Path.Combine(WorkingFolder, "state");
}
