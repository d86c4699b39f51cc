namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// Where webhook stages may send requests (Orca's <c>webhook.allowedRequests</c>). Bound from <c>Mizzen:Webhook</c>.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Mizzen:Webhook";

    /// <summary>
    /// When not empty, a webhook URL (and its status and cancel URLs) must be under one of these. Default: any URL.
    /// Each entry is a URL (<c>https://ci.example.com/hooks</c>: that scheme, host and port, and paths whose leading
    /// segments are <c>hooks</c>) or a bare host (<c>ci.example.com</c>, <c>ci.example.com:8443</c>: http or https, any
    /// path). Entries are compared with the parsed URL, never as string prefixes: the user info of
    /// <c>http://127.0.0.1:29712@127.0.0.1:29711/</c> does not make it port 29712, and <c>/api</c> does not allow
    /// <c>/apix</c>. See <see cref="Mizzen.Core.Net.AllowedUrl"/>.
    /// </summary>
    public List<string> AllowedUrlPrefixes { get; set; } = [];

    /// <summary>
    /// Refuse link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata endpoints, checked on the resolved
    /// address at connect time so DNS tricks do not get around it. Default true. Loopback and private networks stay
    /// allowed: calling a service next to Mizzen is normal.
    /// </summary>
    public bool BlockLinkLocal { get; set; } = true;
}
