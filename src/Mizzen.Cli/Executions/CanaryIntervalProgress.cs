using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>
/// Where a canary stage stands, read from what it keeps in its context while it runs: <c>canaryIntervals</c> (the plan, one entry per
/// interval; a real-time interval's <c>notBeforeIso</c> is when its window ends) and <c>intervalResults</c> (one per judged interval,
/// with its <c>score</c> and <c>classification</c>).
/// </summary>
internal static class CanaryIntervalProgress
{
    private const string PlanKey = "canaryIntervals";
    private const string ResultsKey = "intervalResults";

    /// <summary>How far the stage is, as (planned, judged); null when the stage has no canary plan (yet).</summary>
    public static (int Planned, int Judged)? Position(StageExecution stage) =>
        stage.Context[PlanKey] is JsonArray { Count: > 0 } plan
            ? (plan.Count, Math.Min(plan.Count, (stage.Context[ResultsKey] as JsonArray)?.Count ?? 0))
            : null;

    /// <summary>
    /// <c>interval 2 of 4, 2m 30s left, latest score 100 (Pass)</c> while intervals remain (time left only for real-time analysis),
    /// <c>interval 4 of 4 judged, latest score 95 (Pass)</c> when all are judged, <c>stopped after interval 1 of 4, latest score 0 (Fail)</c>
    /// when the stage ended early (a score at or below marginal, a cancel).
    /// </summary>
    public static string? Describe(StageExecution stage, TimeProvider clock)
    {
        if (Position(stage) is not var (planned, judged))
        {
            return null;
        }

        var parts = new List<string>();
        if (judged < planned && stage.Status.IsComplete())
        {
            parts.Add($"stopped after interval {judged} of {planned}");
        }
        else if (judged < planned)
        {
            parts.Add($"interval {judged + 1} of {planned}");
            if (TimeLeft(stage, clock) is { } left)
            {
                parts.Add($"{Display.Duration(left)} left");
            }
        }
        else
        {
            parts.Add($"interval {planned} of {planned} judged");
        }

        parts.Add(LatestScore(stage));
        return string.Join(", ", parts);
    }

    /// <summary>Until the last interval's window ends, when the plan says (real-time analysis); never negative.</summary>
    private static TimeSpan? TimeLeft(StageExecution stage, TimeProvider clock)
    {
        var last = (stage.Context[PlanKey] as JsonArray)?.LastOrDefault() as JsonObject;
        if (last?["notBeforeIso"].AsString() is not { } end
            || !DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var endTime))
        {
            return null;
        }

        var left = endTime - clock.GetUtcNow();
        return left > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(left.TotalSeconds)) : TimeSpan.Zero;
    }

    private static string LatestScore(StageExecution stage)
    {
        if ((stage.Context[ResultsKey] as JsonArray)?.LastOrDefault() is not JsonObject latest)
        {
            return "no score yet";
        }

        var score = latest["score"].AsDouble() is { } s ? s.ToString("0.##", CultureInfo.InvariantCulture) : "none (no data)";
        return latest["classification"].AsString() is { Length: > 0 } label ? $"latest score {score} ({label})" : $"latest score {score}";
    }
}
