namespace Mizzen.Providers.Local.Accounts;

/// <summary>One entry of <c>Mizzen:Accounts</c> with <c>type: local</c>: a folder on this host and the ports its server groups may use.</summary>
public sealed class LocalAccountOptions
{
    public string Name { get; set; } = "";

    public string Type { get; set; } = "local";

    /// <summary>Bundles, logs and the stored desired state live under this folder.</summary>
    public string WorkingFolder { get; set; } = "";

    /// <summary>Inclusive range such as <c>20000-20999</c> for instance and load balancer ports.</summary>
    public string PortRange { get; set; } = "20000-20999";
}
