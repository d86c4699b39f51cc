using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Triggers.Cron;

/// <summary>
/// <c>cron</c> triggers: <c>cronExpression</c> in Quartz's format (<see cref="QuartzCron"/>), in the time zone of
/// <see cref="CronOptions.TimeZone"/>. <see cref="CronScheduler"/> sends each due time as an event addressed to exactly one trigger.
/// An expression that does not parse is a validation error at <c>triggers[i].cronExpression</c>.
/// </summary>
public sealed class CronTriggerType(IOptions<CronOptions> options) : ITriggerType, ITriggerValidation
{
    public string Type => "cron";

    public TriggerDecision Match(IndexedTrigger trigger, TriggerEvent triggerEvent) =>
        triggerEvent.Source == trigger.Key ? TriggerDecision.Matched : TriggerDecision.NotAddressed;

    public void Check(JsonObject trigger, string path, List<ValidationProblem> problems)
    {
        if (trigger["cronExpression"].AsString() is not { Length: > 0 } text)
        {
            problems.Add(new ValidationProblem($"{path}.cronExpression", "a cron trigger needs a cronExpression (Quartz format: seconds minutes hours day-of-month month day-of-week [year])"));
            return;
        }

        try
        {
            QuartzCron.Parse(text, "validation");
        }
        catch (FormatException e)
        {
            problems.Add(new ValidationProblem($"{path}.cronExpression", e.Message));
        }

        _ = options.Value.Zone(); // an unknown zone is reported at start-up (CronOptions), not per pipeline
    }

    /// <summary>The schedule of one trigger; null when its expression does not parse (validation says why).</summary>
    public static QuartzCron? Schedule(IndexedTrigger trigger)
    {
        try
        {
            return trigger.Trigger["cronExpression"].AsString() is { Length: > 0 } text
                ? QuartzCron.Parse(text, trigger.Trigger["id"].AsString() ?? trigger.Key)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary><c>Mizzen:Triggers:Cron</c>.</summary>
public sealed class CronOptions
{
    public const string SectionName = "Mizzen:Triggers:Cron";

    /// <summary>
    /// The time zone cron expressions are read in (an IANA id such as <c>Europe/Berlin</c>). Default UTC; Spinnaker's default is
    /// <c>America/Los_Angeles</c>, so pipelines moved from Spinnaker may want that.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How often the scheduler looks for changed cron triggers while no trigger is due sooner.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeZoneInfo Zone() =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone)
            ? zone
            : throw new InvalidOperationException($"{SectionName}:TimeZone '{TimeZone}' is not a time zone this machine knows (use an IANA id such as Europe/Berlin)");
}
