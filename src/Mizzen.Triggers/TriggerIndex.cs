using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Triggers;

/// <summary>
/// The automatic triggers of every pipeline config, by type (echo's pipeline cache). Each lookup asks the store for its change stamp,
/// one aggregate query, and re-reads the configs only when it moved, so a save on any node is seen by the next event, and an event
/// costs no config parsing. Safe for concurrent callers: a reload replaces the whole snapshot.
/// </summary>
public sealed class TriggerIndex(IPipelineConfigStore configs)
{
    private readonly SemaphoreSlim reloading = new(1, 1);
    private Snapshot current = new("", new Dictionary<string, IReadOnlyList<IndexedTrigger>>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The triggers of <paramref name="type"/> (case-insensitive) of every config, with their position in the config's list.</summary>
    public async Task<IReadOnlyList<IndexedTrigger>> OfTypeAsync(string type, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        return snapshot.ByType.TryGetValue(type, out var triggers) ? triggers : [];
    }

    /// <summary>Every trigger of every config (for pollers that need all their triggers' settings).</summary>
    public async Task<IReadOnlyList<IndexedTrigger>> AllAsync(CancellationToken cancellationToken) =>
        [.. (await CurrentAsync(cancellationToken)).ByType.Values.SelectMany(t => t)];

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var stamp = await configs.ChangeStampAsync(cancellationToken);
        var snapshot = Volatile.Read(ref current);
        if (snapshot.Stamp == stamp)
        {
            return snapshot;
        }

        await reloading.WaitAsync(cancellationToken);
        try
        {
            snapshot = Volatile.Read(ref current);
            if (snapshot.Stamp == stamp)
            {
                return snapshot;
            }

            var byType = new Dictionary<string, List<IndexedTrigger>>(StringComparer.OrdinalIgnoreCase);
            foreach (var config in await configs.ListWithTriggersAsync(cancellationToken))
            {
                var triggers = config.Json["triggers"] as JsonArray ?? [];
                for (var i = 0; i < triggers.Count; i++)
                {
                    if (triggers[i] is JsonObject trigger && trigger["type"].AsString() is { Length: > 0 } type)
                    {
                        if (!byType.TryGetValue(type, out var list))
                        {
                            byType[type] = list = [];
                        }

                        list.Add(new IndexedTrigger(config, i, trigger));
                    }
                }
            }

            snapshot = new Snapshot(stamp, byType.ToDictionary(p => p.Key, p => (IReadOnlyList<IndexedTrigger>)p.Value, StringComparer.OrdinalIgnoreCase));
            Volatile.Write(ref current, snapshot);
            return snapshot;
        }
        finally
        {
            reloading.Release();
        }
    }

    private sealed record Snapshot(string Stamp, IReadOnlyDictionary<string, IReadOnlyList<IndexedTrigger>> ByType);
}

/// <summary>A pipeline config's trigger: <c>triggers[Index]</c> of <see cref="Config"/>.</summary>
public sealed record IndexedTrigger(PipelineConfig Config, int Index, JsonObject Trigger)
{
    /// <summary>Stable while the config keeps its trigger list order: the status of a trigger is stored under it.</summary>
    public string Key => $"{Config.Id}/{Index}";

    /// <summary>
    /// Spinnaker's rule: a trigger fires only with <c>"enabled": true</c> (echo's model defaults it to false, and Deck always writes it),
    /// and only while the pipeline is not disabled.
    /// </summary>
    public bool Enabled => Trigger["enabled"].AsBool() == true && !Config.Disabled;
}
