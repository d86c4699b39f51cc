using Mizzen.Core.Model;

namespace Mizzen.Expressions.Evaluation;

/// <summary>Everything one evaluation needs: the root, the current element, the bounds, and the last name that was not found.</summary>
internal sealed class EvaluationState
{
    private readonly long deadline;
    private readonly int maxSteps;
    private int steps;
    private long bytesCharged;

    public EvaluationState(EvaluationEnvironment environment, RootView root, bool allowUnknownKeys)
    {
        Environment = environment;
        Root = root;
        ActiveContext = root;
        ScopeRoot = root;
        AllowUnknownKeys = allowUnknownKeys;
        maxSteps = environment.Options.MaxEvaluationSteps;
        var clock = environment.Clock;
        deadline = clock.GetTimestamp() + (long)(environment.Options.MaxEvaluationTime.TotalSeconds * clock.TimestampFrequency);
    }

    public EvaluationEnvironment Environment { get; }

    public RootView Root { get; }

    public PipelineExecution? Execution => Root.Execution;

    public StageExecution? CurrentStage => Root.Scope.Stage;

    /// <summary><c>#this</c>: the root, or the element inside a selection or projection.</summary>
    public object? ActiveContext { get; set; }

    /// <summary>What method arguments and indexers see as their context (the root, or the current element).</summary>
    public object? ScopeRoot { get; set; }

    public bool AllowUnknownKeys { get; }

    /// <summary>The last map lookup that found nothing, for "did you mean" hints.</summary>
    public MissingName? LastMissingName { get; set; }

    public int Steps => steps;

    public void Tick()
    {
        if (++steps > maxSteps)
        {
            throw new ExpressionLimitExceededException(
                $"expression took more than {maxSteps} evaluation steps; simplify it or raise Mizzen:Expressions:MaxEvaluationSteps");
        }

        if ((steps & 0xFF) == 0 && Environment.Clock.GetTimestamp() > deadline)
        {
            throw new ExpressionLimitExceededException(
                $"expression ran longer than {Environment.Options.MaxEvaluationTime.TotalSeconds:0.###} s");
        }
    }

    /// <summary>Memory charged to this evaluation so far (an estimate, see <see cref="ExpressionOptions.MaxEvaluationBytes"/>).</summary>
    public long BytesCharged => bytesCharged;

    /// <summary>Refuses a string over <see cref="ExpressionOptions.MaxResultLength"/> and charges it to the memory bound.</summary>
    public string CheckLength(string value)
    {
        CheckLength((long)value.Length);
        Charge(MemoryCost.String(value.Length));
        return value;
    }

    /// <summary>Refuses a string length before the string is built.</summary>
    public void CheckLength(long length)
    {
        if (length > Environment.Options.MaxResultLength)
        {
            throw new ExpressionLimitExceededException(
                $"expression produced a string of {length} characters; the limit is {Environment.Options.MaxResultLength} (Mizzen:Expressions:MaxResultLength)");
        }
    }

    /// <summary>Adds what was just built to this evaluation's memory and refuses it past <see cref="ExpressionOptions.MaxEvaluationBytes"/>.</summary>
    public void Charge(long bytes)
    {
        bytesCharged += bytes;
        var max = Environment.Options.MaxEvaluationBytes;
        if (bytesCharged > max)
        {
            throw new ExpressionLimitExceededException(
                $"expression built more than {max} bytes of strings, lists and maps; simplify it or raise Mizzen:Expressions:MaxEvaluationBytes");
        }
    }

    public void CheckCollectionSize(int count)
    {
        if (count > Environment.Options.MaxCollectionSize)
        {
            throw new ExpressionLimitExceededException(
                $"expression produced a collection of {count} elements; the limit is {Environment.Options.MaxCollectionSize} (Mizzen:Expressions:MaxCollectionSize)");
        }
    }

    /// <summary>One element added to a list or map this evaluation builds: counted against both collection bounds.</summary>
    public void ChargeElement(int countSoFar)
    {
        CheckCollectionSize(countSoFar);
        Charge(MemoryCost.Element);
    }

    /// <summary>A whole list or map built at once (<c>split</c>, <c>keySet</c> ...).</summary>
    public T ChargeCollection<T>(T collection, int count)
    {
        CheckCollectionSize(count);
        Charge(MemoryCost.Collection + ((long)count * MemoryCost.Element));
        return collection;
    }
}

/// <summary>A name looked up and not found: where (<see cref="PathPrefix"/>, e.g. <c>parameters</c>) and what was there instead.</summary>
internal sealed record MissingName(string PathPrefix, string Name, IReadOnlyCollection<string> Available)
{
    public string Path => PathPrefix.Length == 0 ? Name : PathPrefix + "." + Name;

    public IReadOnlyList<string> Suggestions() =>
        NameSuggestions.Nearest(Name, Available).Select(s => PathPrefix.Length == 0 ? s : PathPrefix + "." + s).ToList();
}
