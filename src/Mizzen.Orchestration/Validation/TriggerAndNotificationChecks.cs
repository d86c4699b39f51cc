using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Validation;

/// <summary>
/// Triggers of a type Mizzen runs (an <see cref="ITriggerValidation"/> is registered for it) are checked by that type, with a warning
/// when one is not <c>"enabled": true</c> (it starts nothing); notifications of a type Mizzen sends are checked by that type
/// (<see cref="INotificationValidation"/>). Other trigger and notification types are kept in the config but nothing acts on them:
/// each is a warning naming its type and where it is, so a pipeline that relied on a docker trigger or a PagerDuty page is not
/// silently inert. A <c>manual</c> trigger is what Mizzen does (start by hand or through the API): no warning.
/// </summary>
internal static class TriggerAndNotificationChecks
{
    public const string ManualTrigger = "manual";

    public static void Check(
        JsonObject pipeline, IReadOnlyDictionary<string, ITriggerValidation> types, IReadOnlyDictionary<string, INotificationValidation> notificationTypes,
        List<ValidationProblem> problems)
    {
        if (pipeline["triggers"] is JsonArray triggers)
        {
            for (var i = 0; i < triggers.Count; i++)
            {
                CheckTrigger(triggers[i] as JsonObject, $"triggers[{i}]", types, problems);
            }
        }
        else if (pipeline["triggers"] is { } notList)
        {
            problems.Add(new("triggers", $"must be a list of triggers, not {notList.GetValueKind().ToString().ToLowerInvariant()}"));
        }

        CheckNotifications(pipeline["notifications"], "notifications", "the pipeline", notificationTypes, problems);
        if (pipeline["stages"] is JsonArray stages)
        {
            for (var i = 0; i < stages.Count; i++)
            {
                if (stages[i] is JsonObject stage && stage["sendNotifications"].AsBool() != false)
                {
                    CheckNotifications(stage["notifications"], $"stages[{i}].notifications", $"stage '{stage["name"].AsString() ?? stage["refId"].AsString()}'", notificationTypes, problems);
                }
            }
        }
    }

    private static void CheckTrigger(JsonObject? trigger, string path, IReadOnlyDictionary<string, ITriggerValidation> types, List<ValidationProblem> problems)
    {
        var type = trigger?["type"].AsString();
        if (string.IsNullOrWhiteSpace(type))
        {
            problems.Add(ValidationProblem.Warning($"{path}.type", "a trigger needs a type; this one does nothing"));
            return;
        }

        if (string.Equals(type, ManualTrigger, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (types.TryGetValue(type, out var validation))
        {
            if (trigger!["enabled"].AsBool() != true)
            {
                problems.Add(ValidationProblem.Warning($"{path}.enabled", $"trigger '{type}' is not enabled (\"enabled\": true): it starts nothing"));
            }

            validation.Check(trigger!, path, problems);
            return;
        }

        problems.Add(ValidationProblem.Warning(path, trigger!["enabled"].AsBool() == false
            ? $"trigger '{type}' is disabled (and not supported yet)"
            : $"trigger '{type}' is not supported yet: this pipeline can only be started by hand"));
    }

    private static void CheckNotifications(
        JsonNode? notifications, string path, string owner, IReadOnlyDictionary<string, INotificationValidation> types, List<ValidationProblem> problems)
    {
        if (notifications is not JsonArray list)
        {
            return;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var notification = list[i] as JsonObject;
            var type = notification?["type"].AsString() ?? "(no type)";
            if (notification is not null && types.TryGetValue(type, out var validation))
            {
                validation.Check(notification, $"{path}[{i}]", problems);
                continue;
            }

            var to = notification?["address"].AsString() is { Length: > 0 } address ? $" to '{address}'" : "";
            var when = notification?["when"] is JsonArray events && events.Count > 0
                ? $" on {string.Join(", ", events.Select(e => e.AsString()).OfType<string>())}"
                : "";
            problems.Add(ValidationProblem.Warning($"{path}[{i}]",
                $"notification '{type}'{to}{when} for {owner} is not supported yet: nothing will be sent"));
        }
    }
}
