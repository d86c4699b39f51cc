namespace Mizzen.Orchestration.Stages.PreconfiguredWebhook;

/// <summary>Where operator-defined webhook stage types are configured: <c>Mizzen:Webhooks:Preconfigured</c>, a list of entries.</summary>
public static class PreconfiguredWebhookOptions
{
    public const string SectionName = "Mizzen:Webhooks:Preconfigured";
}
