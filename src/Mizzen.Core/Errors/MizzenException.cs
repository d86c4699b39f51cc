namespace Mizzen.Core.Errors;

/// <summary>
/// Root of Mizzen's errors, in every component. The message is written for the user who must act on it;
/// <see cref="Kind"/> says whose mistake it is (the HTTP edge answers with its status code, the CLI with its exit code);
/// <see cref="IsTransient"/> tells a caller whether trying again can help; <see cref="Problems"/> names each field that is wrong.
/// </summary>
public abstract class MizzenException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What went wrong, for the edge: the caller's input (the default), a missing thing, a conflict, a refusal, an outside system, or Mizzen itself.</summary>
    public virtual ErrorKind Kind => ErrorKind.Invalid;

    /// <summary>True when the same call may succeed later (an outside system was unavailable, a lease moved).</summary>
    public virtual bool IsTransient => false;

    /// <summary>Each problem and where it is (a JSON path, a parameter name, or <c>line L, column C</c>); empty when the message says it all.</summary>
    public virtual IReadOnlyList<ValidationProblem> Problems => [];
}

/// <summary>The caller asked for something that does not exist (HTTP 404).</summary>
public sealed class NotFoundException(string message) : MizzenException(message)
{
    public override ErrorKind Kind => ErrorKind.NotFound;
}

/// <summary>The request is well-formed but conflicts with the current state (HTTP 409).</summary>
public sealed class ConflictException(string message) : MizzenException(message)
{
    public override ErrorKind Kind => ErrorKind.Conflict;
}

/// <summary>Input that is wrong, with every problem found and where it is (HTTP 400).</summary>
public sealed class ValidationException(IReadOnlyList<ValidationProblem> problems)
    : MizzenException(problems.Count == 1 ? problems[0].ToString() : $"{problems.Count} problems: " + string.Join("; ", problems))
{
    public ValidationException(string location, string message) : this([new ValidationProblem(location, message)])
    {
    }

    public override IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}

/// <summary>The caller may not do this (HTTP 403).</summary>
public sealed class ForbiddenException(string message) : MizzenException(message)
{
    public override ErrorKind Kind => ErrorKind.Forbidden;
}

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
