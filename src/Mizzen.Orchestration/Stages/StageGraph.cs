using System.Text.Json.Nodes;

namespace Mizzen.Orchestration.Stages;

/// <summary>
/// Synthetic stages a definition adds around a parent. <see cref="Add"/> adds a stage with no requisites
/// (stages added this way run in parallel); <see cref="Append"/> chains a stage after the last one added.
/// </summary>
public sealed class StageGraph
{
    private readonly List<SyntheticStageSpec> stages = [];

    public IReadOnlyList<SyntheticStageSpec> Stages => stages;

    public SyntheticStageSpec Add(string type, string name, JsonObject context)
    {
        var spec = new SyntheticStageSpec(type, name, context, After: null);
        stages.Add(spec);
        return spec;
    }

    public SyntheticStageSpec Append(string type, string name, JsonObject context)
    {
        var spec = new SyntheticStageSpec(type, name, context, After: stages.Count == 0 ? null : stages[^1]);
        stages.Add(spec);
        return spec;
    }

    public SyntheticStageSpec Connect(SyntheticStageSpec previous, string type, string name, JsonObject context)
    {
        var spec = new SyntheticStageSpec(type, name, context, previous);
        stages.Add(spec);
        return spec;
    }
}

/// <summary>A synthetic stage to create: it runs after <paramref name="After"/> (or at once when null).</summary>
public sealed record SyntheticStageSpec(string Type, string Name, JsonObject Context, SyntheticStageSpec? After);
