namespace Mizzen.Core.Errors;

/// <summary>
/// Root of Mizzen's errors. The message is written for the user who must act on it;
/// <see cref="IsTransient"/> tells a caller whether trying again can help.
/// </summary>
public abstract class MizzenException(string message, Exception? inner = null) : Exception(message, inner)
{
    public virtual bool IsTransient => false;
}

/// <summary>The caller asked for something that does not exist (HTTP 404).</summary>
public sealed class NotFoundException(string message) : MizzenException(message);

/// <summary>The request is well-formed but conflicts with the current state (HTTP 409).</summary>
public sealed class ConflictException(string message) : MizzenException(message);

/// <summary>Input that is wrong, with every problem found and where it is (HTTP 400 / 422).</summary>
public sealed class ValidationException(IReadOnlyList<ValidationProblem> problems)
    : MizzenException(problems.Count == 1 ? problems[0].ToString() : $"{problems.Count} problems: " + string.Join("; ", problems))
{
    public ValidationException(string location, string message) : this([new ValidationProblem(location, message)])
    {
    }

    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}

/// <summary>The caller may not do this (HTTP 403).</summary>
public sealed class ForbiddenException(string message) : MizzenException(message);

/// <summary>One problem in user input: <paramref name="Location"/> is a JSON path such as <c>stages[2].waitTime</c> or <c>line 4, column 7</c>.
/// <see cref="Severity"/> says whether it stops the input from being used (an error, the default) or is only worth knowing (a warning).</summary>
public sealed record ValidationProblem(string Location, string Message)
{
    public ValidationSeverity Severity { get; init; } = ValidationSeverity.Error;

    public bool IsError => Severity == ValidationSeverity.Error;

    /// <summary>A problem that does not stop the input from being used.</summary>
    public static ValidationProblem Warning(string location, string message) => new(location, message) { Severity = ValidationSeverity.Warning };

    public override string ToString() =>
        (IsError ? "" : "warning: ") + (string.IsNullOrEmpty(Location) ? Message : $"{Location}: {Message}");
}
