namespace Mizzen.Providers.Kubernetes.Api;

/// <summary>The PATCH flavours of the Kubernetes API, by content type.</summary>
public enum PatchType
{
    /// <summary><c>application/strategic-merge-patch+json</c>: built-in kinds, lists merged by their keys (containers by name).</summary>
    StrategicMerge,

    /// <summary><c>application/merge-patch+json</c> (RFC 7386): custom resources, or replacing lists whole.</summary>
    Merge,

    /// <summary><c>application/json-patch+json</c> (RFC 6902): a list of operations.</summary>
    Json,

    /// <summary><c>application/apply-patch+yaml</c>: server-side apply with a field manager.</summary>
    Apply,
}

/// <summary>What happens to an object's dependents when it is deleted (<c>DeleteOptions.propagationPolicy</c>).</summary>
public enum PropagationPolicy
{
    /// <summary>Delete the object now, its dependents in the background (kubectl's default).</summary>
    Background,

    /// <summary>Delete the dependents first, then the object.</summary>
    Foreground,

    /// <summary>Leave the dependents (their owner references are removed).</summary>
    Orphan,
}

public static class PatchTypes
{
    public static string ContentType(this PatchType type) => type switch
    {
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        _ => "application/apply-patch+yaml",
    };

    /// <summary>Spinnaker's <c>mergeStrategy</c> (<c>strategic</c>, <c>merge</c>, <c>json</c>); null when unknown.</summary>
    public static PatchType? FromMergeStrategy(string? strategy) => strategy?.ToLowerInvariant() switch
    {
        null or "" or "strategic" => PatchType.StrategicMerge,
        "merge" => PatchType.Merge,
        "json" => PatchType.Json,
        _ => null,
    };
}
