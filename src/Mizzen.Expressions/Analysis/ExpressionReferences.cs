namespace Mizzen.Expressions.Analysis;

/// <summary>
/// What a <c>${ }</c> text refers to, found without evaluating it: the <c>#functions</c> it calls and the property
/// paths it reads from the root (<c>trigger.parameters.env</c>, <c>parameters['env']</c>). Offsets are 0-based in the text.
/// </summary>
public sealed record ExpressionReferences(IReadOnlyList<FunctionReference> Functions, IReadOnlyList<PropertyPath> Paths)
{
    public static ExpressionReferences None { get; } = new([], []);
}

/// <summary><c>#name(</c> at <paramref name="Offset"/>.</summary>
public sealed record FunctionReference(string Name, int Offset);

/// <summary>
/// A chain of names read from the root, e.g. <c>["trigger", "parameters", "env"]</c>; a step that is not a plain name or a
/// quoted key (a method call, a computed index) ends the path.
/// </summary>
public sealed record PropertyPath(IReadOnlyList<string> Segments, int Offset)
{
    public override string ToString() => string.Join('.', Segments);
}
