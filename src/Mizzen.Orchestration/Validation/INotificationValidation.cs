using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Orchestration.Validation;

/// <summary>
/// A notification type Mizzen sends (<c>email</c>, <c>slack</c>, <c>webhook</c>), as pipeline validation sees it: the component that
/// sends notifications (Mizzen.Triggers) registers one per type, so the validator checks its fields instead of warning that nothing
/// is sent. Problems use <paramref name="path"/> (<c>notifications[0]</c>, <c>stages[3].notifications[1]</c>) as the start of their location.
/// </summary>
public interface INotificationValidation
{
    /// <summary>The notification <c>type</c> (case-insensitive).</summary>
    string Type { get; }

    void Check(JsonObject notification, string path, List<ValidationProblem> problems);
}
