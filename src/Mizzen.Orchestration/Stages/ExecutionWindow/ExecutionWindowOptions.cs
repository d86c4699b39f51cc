namespace Mizzen.Orchestration.Stages.ExecutionWindow;

/// <summary>
/// Settings of execution windows (<c>restrictExecutionDuringTimeWindow</c>). Change the time zone in code with
/// <c>services.Configure&lt;ExecutionWindowOptions&gt;(o =&gt; o.TimeZone = "Europe/Berlin")</c>, or bind it from configuration
/// section <see cref="SectionName"/> (<c>"Mizzen": {"ExecutionWindow": {"TimeZone": "Europe/Berlin"}}</c>, or the
/// environment variable <c>Mizzen__ExecutionWindow__TimeZone</c>) with
/// <c>services.AddOptions&lt;ExecutionWindowOptions&gt;().BindConfiguration(ExecutionWindowOptions.SectionName)</c>.
/// </summary>
public sealed class ExecutionWindowOptions
{
    public const string SectionName = "Mizzen:ExecutionWindow";

    /// <summary>
    /// The IANA time zone the windows' hours and days are read in (Orca's <c>tasks.execution-window.timezone</c>).
    /// Default <c>America/Los_Angeles</c>, as in Orca.
    /// </summary>
    public string TimeZone { get; set; } = "America/Los_Angeles";

    /// <summary>Whether <see cref="TimeZone"/> names a zone this machine knows (used to validate the options at start).</summary>
    public bool HasKnownTimeZone() => TryFindZone(TimeZone, out _);

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
