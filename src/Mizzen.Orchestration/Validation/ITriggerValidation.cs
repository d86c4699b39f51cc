using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Orchestration.Validation;

/// <summary>
/// A trigger type Mizzen acts on, as pipeline validation sees it: the component that runs the triggers (Mizzen.Triggers) registers one
/// per type, so the validator stops calling the type "not supported" and checks its fields instead. Problems use
/// <paramref name="path"/> (<c>triggers[2]</c>) as the start of their location.
/// </summary>
public interface ITriggerValidation
{
    /// <summary>The trigger <c>type</c> (case-insensitive).</summary>
    string Type { get; }

    void Check(JsonObject trigger, string path, List<ValidationProblem> problems);
}
