using Microsoft.Extensions.Logging;

namespace Mizzen.Providers.Local;

/// <summary>The provider's log events (stable ids 7100-7199).</summary>
internal static partial class Log
{
    [LoggerMessage(7100, LogLevel.Information, "Deployed server group {serverGroup} in account {account} for application {application} with {desired} instances")]
    public static partial void ServerGroupDeployed(ILogger logger, string account, string serverGroup, string application, int desired);

    [LoggerMessage(7101, LogLevel.Information, "Instance {instanceId} of {serverGroup} started with pid {pid} on port {port}")]
    public static partial void InstanceLaunched(ILogger logger, string serverGroup, string instanceId, int pid, int port);

    [LoggerMessage(7102, LogLevel.Information, "Instance {instanceId} of {serverGroup} re-adopted: pid {pid} still running")]
    public static partial void InstanceAdopted(ILogger logger, string serverGroup, string instanceId, int pid);

    [LoggerMessage(7103, LogLevel.Warning, "Instance {instanceId} of {serverGroup} crashed (exit code {exitCode}); restart {restarts} in {delay}")]
    public static partial void InstanceCrashed(ILogger logger, string serverGroup, string instanceId, int? exitCode, int restarts, TimeSpan delay);

    [LoggerMessage(7104, LogLevel.Information, "Instance {instanceId} of {serverGroup} is now {state}")]
    public static partial void InstanceStateChanged(ILogger logger, string serverGroup, string instanceId, InstanceState state);

    [LoggerMessage(7105, LogLevel.Error, "Instance {instanceId} of {serverGroup} could not be started")]
    public static partial void InstanceLaunchFailed(ILogger logger, string serverGroup, string instanceId, Exception exception);

    [LoggerMessage(7106, LogLevel.Information, "Instance {instanceId} of {serverGroup} stopped (pid {pid}, killed: {killed})")]
    public static partial void InstanceStopped(ILogger logger, string serverGroup, string instanceId, int pid, bool killed);

    [LoggerMessage(7107, LogLevel.Information, "Server group {serverGroup} in account {account}: {operation}")]
    public static partial void ServerGroupChanged(ILogger logger, string account, string serverGroup, string operation);

    [LoggerMessage(7108, LogLevel.Information, "Restored {serverGroups} server groups and {loadBalancers} load balancers of account {account}")]
    public static partial void Restored(ILogger logger, string account, int serverGroups, int loadBalancers);

    [LoggerMessage(7109, LogLevel.Information, "Load balancer {loadBalancer} of account {account} listens on {url}")]
    public static partial void LoadBalancerListening(ILogger logger, string account, string loadBalancer, Uri url);

    [LoggerMessage(7110, LogLevel.Warning, "Scraping /metrics of instance {instanceId} failed: {reason}")]
    public static partial void ScrapeFailed(ILogger logger, string instanceId, string reason);

    [LoggerMessage(7111, LogLevel.Information, "Job {jobId} in account {account} finished with exit code {exitCode} (timed out: {timedOut})")]
    public static partial void JobFinished(ILogger logger, string account, string jobId, int? exitCode, bool timedOut);

    [LoggerMessage(7112, LogLevel.Error, "Supervising instance {instanceId} of {serverGroup} failed")]
    public static partial void SupervisionFailed(ILogger logger, string serverGroup, string instanceId, Exception exception);

    [LoggerMessage(7113, LogLevel.Error, "Restoring server group record failed in account {account}")]
    public static partial void RestoreFailed(ILogger logger, string account, Exception exception);

    [LoggerMessage(7114, LogLevel.Warning, "Instance {instanceId} of {serverGroup} still had {inFlight} requests in flight after the drain timeout {drainTimeout}; stopping it anyway")]
    public static partial void InstanceDrainTimedOut(ILogger logger, string serverGroup, string instanceId, int inFlight, TimeSpan drainTimeout);

    [LoggerMessage(7150, LogLevel.Information, "{instances} instances of {serverGroups} server groups keep running after Mizzen stops ({perAccount}); the next start re-adopts them. To remove them, start Mizzen and run: ./mizzen local teardown ACCOUNT --yes")]
    public static partial void InstancesKeepRunning(ILogger logger, int instances, int serverGroups, string perAccount);
}
