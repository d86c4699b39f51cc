using Microsoft.Extensions.Options;
using Mizzen.Core.Net;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>Refuses an <see cref="WebhookOptions.AllowedUrlPrefixes"/> entry that is not a URL or host, at start (<c>ValidateOnStart</c>).</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public const string Setting = "Mizzen:Webhook:AllowedUrlPrefixes";

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            _ = new UrlAllowList(options.AllowedUrlPrefixes, Setting);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
