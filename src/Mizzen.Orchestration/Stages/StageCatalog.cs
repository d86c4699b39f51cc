namespace Mizzen.Orchestration.Stages;

/// <summary>Every registered stage type, found by type or alias (Orca looks up <c>alias</c> first when a stage has one).</summary>
public sealed class StageCatalog
{
    private readonly Dictionary<string, IStageDefinition> byType = new(StringComparer.Ordinal);

    public StageCatalog(IEnumerable<IStageDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            byType[definition.Type] = definition;
            foreach (var alias in definition.Aliases)
            {
                byType.TryAdd(alias, definition);
            }
        }
    }

    public IEnumerable<string> Types => byType.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string type, out IStageDefinition definition) => byType.TryGetValue(type, out definition!);

    public IStageDefinition Get(string type) =>
        byType.TryGetValue(type, out var definition)
            ? definition
            : throw new KeyNotFoundException($"no stage type '{type}' is registered");
}
