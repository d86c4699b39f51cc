using System.Text.Json.Serialization;

namespace Mizzen.Core.Model;

/// <summary>Spinnaker's execution statuses, with their exact wire names and meaning.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    [JsonStringEnumMemberName("NOT_STARTED")] NotStarted,
    [JsonStringEnumMemberName("RUNNING")] Running,
    [JsonStringEnumMemberName("PAUSED")] Paused,
    [JsonStringEnumMemberName("SUSPENDED")] Suspended,
    [JsonStringEnumMemberName("SUCCEEDED")] Succeeded,
    [JsonStringEnumMemberName("FAILED_CONTINUE")] FailedContinue,
    [JsonStringEnumMemberName("TERMINAL")] Terminal,
    [JsonStringEnumMemberName("CANCELED")] Canceled,
    [JsonStringEnumMemberName("REDIRECT")] Redirect,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
    [JsonStringEnumMemberName("SKIPPED")] Skipped,
    [JsonStringEnumMemberName("BUFFERED")] Buffered,
}

public static class ExecutionStatusExtensions
{
    private static readonly string[] WireNames =
    [
        "NOT_STARTED", "RUNNING", "PAUSED", "SUSPENDED", "SUCCEEDED", "FAILED_CONTINUE",
        "TERMINAL", "CANCELED", "REDIRECT", "STOPPED", "SKIPPED", "BUFFERED",
    ];

    /// <summary>The name Spinnaker writes on the wire, e.g. <c>NOT_STARTED</c>.</summary>
    public static string ToWireName(this ExecutionStatus status) => WireNames[(int)status];

    public static bool TryParseWireName(string? name, out ExecutionStatus status)
    {
        var index = name is null ? -1 : Array.IndexOf(WireNames, name.Trim().ToUpperInvariant());
        status = index < 0 ? default : (ExecutionStatus)index;
        return index >= 0;
    }

    /// <summary>CANCELED, SUCCEEDED, STOPPED, SKIPPED, TERMINAL, FAILED_CONTINUE.</summary>
    public static bool IsComplete(this ExecutionStatus status) => status is ExecutionStatus.Canceled
        or ExecutionStatus.Succeeded or ExecutionStatus.Stopped or ExecutionStatus.Skipped
        or ExecutionStatus.Terminal or ExecutionStatus.FailedContinue;

    /// <summary>TERMINAL, CANCELED, STOPPED: the branch (or pipeline) stops here.</summary>
    public static bool IsHalt(this ExecutionStatus status) =>
        status is ExecutionStatus.Terminal or ExecutionStatus.Canceled or ExecutionStatus.Stopped;

    public static bool IsSuccessful(this ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.Stopped or ExecutionStatus.Skipped;

    public static bool IsFailure(this ExecutionStatus status) =>
        status is ExecutionStatus.Terminal or ExecutionStatus.Stopped or ExecutionStatus.FailedContinue;

    /// <summary>An upstream stage in one of these lets a downstream join start.</summary>
    public static bool AllowsDownstream(this ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.FailedContinue or ExecutionStatus.Skipped;
}
