using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Clouds;

/// <summary>Spinnaker's capacity triple <c>{min, max, desired}</c>.</summary>
public sealed record Capacity(int Min, int Max, int Desired)
{
    public static Capacity Exactly(int count) => new(count, count, count);

    public JsonObject ToJson() => new() { ["min"] = Min, ["max"] = Max, ["desired"] = Desired };

    /// <summary>Reads <c>{min, max, desired}</c> (numbers or numeric strings); missing parts follow <c>desired</c>. Null when absent.</summary>
    public static Capacity? FromJson(JsonNode? node)
    {
        if (node is not JsonObject json)
        {
            return null;
        }

        var desired = (int?)json["desired"].AsLong() ?? (int?)json["max"].AsLong() ?? (int?)json["min"].AsLong();
        if (desired is null)
        {
            return null;
        }

        var min = (int?)json["min"].AsLong() ?? desired.Value;
        var max = (int?)json["max"].AsLong() ?? desired.Value;
        return new Capacity(Math.Min(min, desired.Value), Math.Max(max, desired.Value), desired.Value);
    }
}
