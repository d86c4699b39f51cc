namespace Mizzen.Providers.Local.Accounts;

/// <summary>A configured local account, resolved: its folders and its port allocator.</summary>
internal sealed class LocalAccount
{
    public LocalAccount(string name, string workingFolder, PortRange ports)
    {
        Name = name;
        WorkingFolder = Path.GetFullPath(workingFolder);
        Ports = ports;
        PortAllocator = new PortAllocator(name, ports);
    }

    public string Name { get; }

    public string WorkingFolder { get; }

    public PortRange Ports { get; }

    public PortAllocator PortAllocator { get; }

    public string ServerGroupFolder(string serverGroup) => Path.Combine(WorkingFolder, "server-groups", serverGroup);

    public string InstanceFolder(string serverGroup, string instanceId) => Path.Combine(ServerGroupFolder(serverGroup), "instances", instanceId);

    public string JobsFolder => Path.Combine(WorkingFolder, "jobs");

    public string JobFolder(string jobId) => Path.Combine(JobsFolder, jobId);

    public string DownloadFolder => Path.Combine(WorkingFolder, "downloads");

    public string StateFolder => Path.Combine(WorkingFolder, "state");
}
