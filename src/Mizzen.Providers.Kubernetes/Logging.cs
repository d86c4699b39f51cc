using Microsoft.Extensions.Logging;

namespace Mizzen.Providers.Kubernetes;

/// <summary>The Kubernetes provider's log events (stable ids 7200-7299). Accounts are named, credentials never logged.</summary>
internal static partial class KubernetesLog
{
    [LoggerMessage(7200, LogLevel.Information, "Kubernetes account {account}: caching {kind} ({count} objects listed)")]
    public static partial void CacheStarted(ILogger logger, string account, string kind, int count);

    [LoggerMessage(7201, LogLevel.Debug, "Watch of {kind} in {namespace} expired (410 Gone): listing again")]
    public static partial void WatchExpired(ILogger logger, string kind, string @namespace);

    [LoggerMessage(7202, LogLevel.Warning, "Watch of {kind} in {namespace} failed: {reason}; retrying")]
    public static partial void WatchFailed(ILogger logger, string kind, string @namespace, string reason);

    [LoggerMessage(7203, LogLevel.Information, "Kubernetes accounts configured: {accounts}")]
    public static partial void AccountsConfigured(ILogger logger, string accounts);

    [LoggerMessage(7204, LogLevel.Information, "Deployed {manifest} to account {account} (execution {executionId}, stage {stageId})")]
    public static partial void ManifestDeployed(ILogger logger, string account, string manifest, string executionId, string stageId);

    [LoggerMessage(7205, LogLevel.Information, "Deleted {manifest} from account {account} (execution {executionId}, stage {stageId})")]
    public static partial void ManifestDeleted(ILogger logger, string account, string manifest, string executionId, string stageId);

    [LoggerMessage(7206, LogLevel.Warning, "Traffic guard refused {manifest} in account {account} (execution {executionId}, stage {stageId}): {reason}")]
    public static partial void GuardRefused(ILogger logger, string account, string manifest, string executionId, string stageId, string reason);
}
