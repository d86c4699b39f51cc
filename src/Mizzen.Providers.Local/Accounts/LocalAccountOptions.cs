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

    /// <summary>
    /// The id of the node (<c>Mizzen:Node:Id</c>) whose host runs this account's processes, when several nodes share one store.
    /// Unset: the node reading the setting (one node, or SQLite). On any other node the account is remote: that node starts
    /// nothing for it and never touches its folder; the engine hands the account's stage work to the owner.
    /// </summary>
    public string? Node { get; set; }

    /// <summary>
    /// The owner node's base URL (e.g. <c>http://deploy-b:8084</c>). Other nodes forward API requests about the account there;
    /// without it they answer 409 naming the owner node.
    /// </summary>
    public string? NodeUrl { get; set; }
}
