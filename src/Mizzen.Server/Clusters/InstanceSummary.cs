using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Clusters;

/// <summary>
/// An instance in clouddriver's shape: <c>id</c>/<c>name</c>, <c>healthState</c> (Up, Down, Starting, OutOfService, Unknown),
/// <c>launchTime</c> in epoch milliseconds, plus the local process facts (port, pid, restarts).
/// </summary>
public sealed record InstanceSummary(
    string Id,
    string Name,
    string Account,
    string ServerGroup,
    string Cluster,
    string HealthState,
    string State,
    int Port,
    int? Pid,
    int Restarts,
    long? LaunchTime,
    string CloudProvider)
{
    public static InstanceSummary From(InstanceView view, string account, string cluster) => new(
        view.Id,
        view.Id,
        account,
        view.ServerGroup,
        cluster,
        HealthStateOf(view.State),
        view.State.ToString(),
        view.Port,
        view.Pid,
        view.Restarts,
        view.LaunchTime?.ToUnixTimeMilliseconds(),
        ServerGroupSummary.Provider);

    /// <summary>Deck's health colours know Up, Down, Starting, OutOfService and Unknown; a crashed (restarting) instance is Down.</summary>
    public static string HealthStateOf(InstanceState state) => state switch
    {
        InstanceState.Up => "Up",
        InstanceState.Starting => "Starting",
        InstanceState.OutOfService => "OutOfService",
        _ => "Down",
    };
}
