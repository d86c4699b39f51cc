namespace Mizzen.Expressions;

/// <summary>
/// What the document readers (<c>#readJson</c>, <c>#readYaml</c>, <c>#readAllYaml</c>, <c>#jsonFromUrl</c>,
/// <c>#yamlFromUrl</c>) may build. Bound from <c>Mizzen:Expressions:Documents</c>. A YAML alias counts as a copy of
/// what it names, so an alias bomb ("billion laughs") is stopped by <see cref="MaxNodes"/> and <see cref="MaxAliases"/>
/// long before it is expanded.
/// </summary>
public sealed class DocumentLimits
{
    /// <summary>Longest text a reader accepts, in characters (1 MiB, like <c>Mizzen:Expressions:Url:MaxResponseBytes</c>).</summary>
    public int MaxLength { get; set; } = 1_048_576;

    /// <summary>Deepest nesting of maps and lists in one document (System.Text.Json's default, 64).</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>Most values (maps, lists, scalars) a read may produce, YAML aliases counted as the copies they stand for.</summary>
    public int MaxNodes { get; set; } = 100_000;

    /// <summary>Most YAML aliases (<c>*name</c>) that refer to a map or a list, in one read (SnakeYAML's default is 50).</summary>
    public int MaxAliases { get; set; } = 100;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAliases, 0);
    }
}
