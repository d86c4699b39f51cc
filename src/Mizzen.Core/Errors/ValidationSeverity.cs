namespace Mizzen.Core.Errors;

/// <summary>How much a <see cref="ValidationProblem"/> matters.</summary>
public enum ValidationSeverity
{
    /// <summary>The input cannot be used as it is (a pipeline with an error is not runnable).</summary>
    Error,

    /// <summary>The input is used, but something in it does not do what it seems to (a repeated key, a trigger that nothing runs yet).</summary>
    Warning,
}
