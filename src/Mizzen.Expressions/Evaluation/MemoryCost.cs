namespace Mizzen.Expressions.Evaluation;

/// <summary>
/// The estimate <see cref="ExpressionOptions.MaxEvaluationBytes"/> is counted in: close to what .NET allocates on a
/// 64-bit runtime, rounded up so the bound errs on the safe side.
/// </summary>
internal static class MemoryCost
{
    /// <summary>A list or map object itself.</summary>
    public const long Collection = 64;

    /// <summary>One list slot or map entry (reference, hash, boxed scalar).</summary>
    public const long Element = 32;

    /// <summary>One JSON node (object, array or value).</summary>
    public const long Node = 64;

    public static long String(long length) => 24 + (2 * length);
}
