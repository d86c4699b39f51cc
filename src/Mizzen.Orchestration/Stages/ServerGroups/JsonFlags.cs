using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>Boolean fields that may arrive as <c>true</c> or <c>"true"</c> (Deck writes both).</summary>
public static class JsonFlags
{
    public static bool AsBoolOrFalse(this JsonNode? node) =>
        node.AsBool() ?? string.Equals(node.AsString(), "true", StringComparison.OrdinalIgnoreCase);
}
