using System.Globalization;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Server.Clusters;

/// <summary>
/// An instance in clouddriver's shape: <c>id</c>/<c>name</c>, <c>healthState</c> (Up, Down, Starting, OutOfService, Unknown),
/// <c>launchTime</c> in epoch milliseconds, <c>state</c> in the provider's words and <c>reason</c> when it is not up; for a local
/// instance also its process facts (<c>port</c>, <c>pid</c>, <c>restarts</c>); <c>details</c> holds every provider fact.
/// </summary>
public sealed record InstanceSummary(
    string Id,
    string Name,
    string Account,
    string Region,
    string ServerGroup,
    string Cluster,
    string HealthState,
    string State,
    string? Reason,
    int? Port,
    int? Pid,
    int Restarts,
    long? LaunchTime,
    string CloudProvider,
    IReadOnlyDictionary<string, string> Details)
{
    public static InstanceSummary From(InstanceDetails instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(
            instance.Id,
            instance.Id,
            instance.Account,
            instance.Region,
            instance.ServerGroup,
            instance.Cluster,
            instance.Health.ToString(),
            instance.State,
            instance.Reason,
            Number(instance.Details, "port"),
            Number(instance.Details, "pid"),
            instance.Restarts,
            instance.LaunchTime?.ToUnixTimeMilliseconds(),
            instance.CloudProvider,
            instance.Details);
    }

    private static int? Number(IReadOnlyDictionary<string, string> details, string key) =>
        details.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
