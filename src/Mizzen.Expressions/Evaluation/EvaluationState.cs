using Mizzen.Core.Model;

namespace Mizzen.Expressions.Evaluation;

/// <summary>Everything one evaluation needs: the root, the current element, the bounds, and the last name that was not found.</summary>
internal sealed class EvaluationState
{
    private readonly long deadline;
    private readonly int maxSteps;
    private int steps;

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

    public string CheckLength(string value)
    {
        if (value.Length > Environment.Options.MaxResultLength)
        {
            throw new ExpressionLimitExceededException(
                $"expression produced a string of {value.Length} characters; the limit is {Environment.Options.MaxResultLength}");
        }

        return value;
    }

    public void CheckCollectionSize(int count)
    {
        if (count > Environment.Options.MaxCollectionSize)
        {
            throw new ExpressionLimitExceededException(
                $"expression produced a collection of {count} elements; the limit is {Environment.Options.MaxCollectionSize}");
        }
    }
}

/// <summary>A name looked up and not found: where (<see cref="PathPrefix"/>, e.g. <c>parameters</c>) and what was there instead.</summary>
internal sealed record MissingName(string PathPrefix, string Name, IReadOnlyCollection<string> Available)
{
    public string Path => PathPrefix.Length == 0 ? Name : PathPrefix + "." + Name;

    public IReadOnlyList<string> Suggestions() =>
        NameSuggestions.Nearest(Name, Available).Select(s => PathPrefix.Length == 0 ? s : PathPrefix + "." + s).ToList();
}
