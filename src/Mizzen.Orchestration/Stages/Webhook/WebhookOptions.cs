namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// Where webhook stages may send requests (Orca's <c>webhook.allowedRequests</c>). Bound from <c>Mizzen:Webhook</c>.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Mizzen:Webhook";

    /// <summary>When not empty, a webhook URL must start with one of these (e.g. <c>https://ci.example.com/</c>). Default: any.</summary>
    public List<string> AllowedUrlPrefixes { get; set; } = [];

    /// <summary>
    /// Refuse link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata endpoints, checked on the resolved
    /// address at connect time so DNS tricks do not get around it. Default true. Loopback and private networks stay
    /// allowed: calling a service next to Mizzen is normal.
    /// </summary>
    public bool BlockLinkLocal { get; set; } = true;
}
