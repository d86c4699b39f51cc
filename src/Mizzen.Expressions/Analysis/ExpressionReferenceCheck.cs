using Mizzen.Core.Errors;
using Mizzen.Expressions.Evaluation;

namespace Mizzen.Expressions.Analysis;

/// <summary>
/// Checks what a pipeline's expressions refer to before anything runs: a <c>#function</c> that does not exist is an
/// error (it fails every time it is evaluated); a parameter the pipeline does not declare in <c>parameterConfig</c>, or
/// a trigger field that is a near miss of a known one (<c>trigger.paramters</c>), is a warning, each with "did you mean".
/// </summary>
public sealed class ExpressionReferenceCheck(IEnumerable<string> functionNames, IEnumerable<string> declaredParameters)
{
    private readonly HashSet<string> functions = new(functionNames, StringComparer.Ordinal);
    private readonly HashSet<string> parameters = new(declaredParameters, StringComparer.Ordinal);
    private readonly HashSet<string> triggerFields = new(TriggerFields.Known, StringComparer.Ordinal);

    /// <summary>
    /// Problems in <paramref name="template"/> (a string with <c>${ }</c> parts) found at <paramref name="location"/>; columns
    /// are 1-based in the template, moved by <paramref name="columnShift"/> (-2 when the caller wrapped a bare expression in <c>${ }</c>).
    /// </summary>
    public IEnumerable<ValidationProblem> Check(string template, string location, int columnShift = 0)
    {
        var references = ExpressionReferenceFinder.InTemplate(template);
        foreach (var call in references.Functions.Where(f => !functions.Contains(f.Name)))
        {
            var nearest = NameSuggestions.Nearest(call.Name, functions);
            yield return new ValidationProblem(location,
                $"column {Math.Max(1, call.Offset + 1 + columnShift)}: #{call.Name} is not a function Mizzen knows{Hint(nearest, "#")}");
        }

        foreach (var path in references.Paths)
        {
            if (Check(path) is { } message)
            {
                yield return ValidationProblem.Warning(location, $"column {Math.Max(1, path.Offset + 1 + columnShift)}: {message}");
            }
        }
    }

    private string? Check(PropertyPath path)
    {
        var segments = path.Segments;
        var at = segments.Count > 1 && segments[0] == "execution" && segments[1] == "trigger" ? 1 : 0;
        if (segments[at] == "parameters" && at == 0)
        {
            return segments.Count > 1 ? UndeclaredParameter(segments[1]) : null;
        }

        if (segments[at] != "trigger" || segments.Count <= at + 1)
        {
            return null;
        }

        var field = segments[at + 1];
        if (field == "parameters")
        {
            return segments.Count > at + 2 ? UndeclaredParameter(segments[at + 2]) : null;
        }

        if (triggerFields.Contains(field))
        {
            return null;
        }

        // Only a near miss is worth a warning: trigger types and plugins add fields of their own.
        var nearest = NameSuggestions.Nearest(field, triggerFields, max: 1);
        return nearest.Count == 0 ? null : $"the trigger has no field '{field}'; did you mean trigger.{nearest[0]}?";
    }

    private string? UndeclaredParameter(string name)
    {
        if (parameters.Contains(name))
        {
            return null;
        }

        var nearest = NameSuggestions.Nearest(name, parameters);
        return parameters.Count == 0
            ? $"parameter '{name}' is not declared: the pipeline has no parameterConfig, so it is empty unless the trigger passes it"
            : $"parameter '{name}' is not declared in parameterConfig{Hint(nearest, "")}";
    }

    private static string Hint(IReadOnlyList<string> nearest, string prefix) =>
        nearest.Count == 0 ? "" : $"; did you mean {string.Join(" or ", nearest.Select(n => prefix + n))}?";
}
