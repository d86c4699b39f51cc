using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.util.Random</c>: <c>new Random()</c>, <c>new Random(seed)</c>, <c>nextInt</c>, <c>nextLong</c>, <c>nextDouble</c>, <c>nextBoolean</c>.</summary>
internal sealed class RandomType : AllowedType
{
    public override string JavaName => "java.util.Random";

    public override object? Construct(object?[] args, EvaluationState state) => args.Length switch
    {
        0 => new JavaRandom(new Random()),
        1 => new JavaRandom(new Random(unchecked((int)Long(args, 0, "Random")))),
        _ => throw NoConstructor(args),
    };
}

internal sealed class JavaRandom(Random random) : IJavaObject
{
    public string JavaTypeName => "java.util.Random";

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("nextInt", 0) => random.Next(int.MinValue, int.MaxValue),
            ("nextInt", 1) => NextInt(Int(args, 0, name)),
            ("nextLong", 0) => random.NextInt64(),
            ("nextDouble", 0) => random.NextDouble(),
            ("nextBoolean", 0) => JsonValues.Box(random.Next(2) == 1),
            _ => null,
        };
        return result is not null;
    }

    private int NextInt(int bound) =>
        bound > 0 ? random.Next(bound) : throw new ExpressionException("IllegalArgumentException: bound must be positive");
}
