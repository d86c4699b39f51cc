namespace Mizzen.Expressions.Values;

/// <summary>A list built by an expression (inline list, selection, projection, <c>split</c>). <see cref="IsArray"/> marks Java arrays (<c>.length</c>).</summary>
internal sealed class ValueList : List<object?>
{
    public ValueList()
    {
    }

    public ValueList(int capacity) : base(capacity)
    {
    }

    public ValueList(IEnumerable<object?> items) : base(items)
    {
    }

    public bool IsArray { get; init; }
}

/// <summary>A map built by an expression (inline map, map selection, parsed YAML). Keeps insertion order.</summary>
internal sealed class ValueMap : Dictionary<string, object?>
{
    public ValueMap() : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>One entry while selecting or projecting over a map: <c>#this.key</c>, <c>#this.value</c>.</summary>
internal sealed record MapEntry(string Key, object? Value);

/// <summary>What <c>#doNotEval(x)</c> returns: <c>#toJson</c> serializes it as it is, even when it holds <c>${</c>.</summary>
internal sealed record DoNotEvalValue(object? Value);
