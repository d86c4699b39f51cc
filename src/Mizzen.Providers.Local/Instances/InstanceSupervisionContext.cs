using Microsoft.Extensions.Logging;
using Mizzen.Providers.Local.Health;
using Mizzen.Providers.Local.State;

namespace Mizzen.Providers.Local.Instances;

/// <summary>What an instance's supervisor needs from its server group: the spec, where to keep files, how to persist and to announce changes.</summary>
internal sealed class InstanceSupervisionContext
{
    public required ServerGroupRecord ServerGroup { get; init; }

    public required string Folder { get; init; }

    public required LocalProviderOptions Options { get; init; }

    public required TimeProvider Time { get; init; }

    public required HealthProbe Probe { get; init; }

    public required ILogger Logger { get; init; }

    public required Func<CancellationToken, Task> Persist { get; init; }

    public required Action StateChanged { get; init; }

    public IReadOnlyDictionary<string, string> EnvironmentFor(InstanceRecord instance)
    {
        var env = new Dictionary<string, string>(ServerGroup.Env, StringComparer.Ordinal)
        {
            ["PORT"] = instance.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MIZZEN_SERVER_GROUP"] = ServerGroup.Name,
            ["MIZZEN_INSTANCE_ID"] = instance.Id,
            ["MIZZEN_ACCOUNT"] = ServerGroup.Account,
            ["MIZZEN_APPLICATION"] = ServerGroup.Application,
            ["MIZZEN_CLUSTER"] = ServerGroup.Cluster,
        };
        return env;
    }
}
