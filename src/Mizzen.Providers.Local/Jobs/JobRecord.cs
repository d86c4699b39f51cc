namespace Mizzen.Providers.Local.Jobs;

/// <summary>
/// <c>job.json</c> in a job's folder: written without a pid when the job is claimed (before launch), then with the wrapper's pid,
/// its kernel start marker (so a reused pid is not taken for the job) and whether it leads a process group. No env values: they may
/// hold secrets.
/// </summary>
internal sealed record JobRecord(string JobId, string Application, DateTimeOffset StartedAt, int? Pid = null, long? StartMarker = null, bool ProcessGroup = false);

/// <summary>How a job ended, from its <c>exit-code</c> file: the wrapper writes the number; Mizzen writes a word when it killed or lost the job.</summary>
internal sealed record JobEnd(int? ExitCode, bool Killed, bool TimedOut, bool Lost)
{
    public const string KilledWord = "killed";
    public const string TimedOutWord = "timed-out";
    public const string LostWord = "lost";

    public static JobEnd? Parse(string text) => text.Trim() switch
    {
        KilledWord => new JobEnd(null, Killed: true, TimedOut: false, Lost: false),
        TimedOutWord => new JobEnd(null, Killed: true, TimedOut: true, Lost: false),
        LostWord => new JobEnd(null, Killed: false, TimedOut: false, Lost: true),
        var number when int.TryParse(number, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var code) =>
            new JobEnd(code, Killed: false, TimedOut: false, Lost: false),
        _ => null,
    };
}
