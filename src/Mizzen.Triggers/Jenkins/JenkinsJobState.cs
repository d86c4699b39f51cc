namespace Mizzen.Triggers.Jenkins;

/// <summary>
/// What the Jenkins poller knows of one job of one master (document <c>jenkins-poll/{master}/{job}</c>): the highest build number it
/// has seen, the builds above the previous one that were still running (sent when they finish), and the last poll's outcome.
/// </summary>
public sealed class JenkinsJobState
{
    public string Master { get; set; } = "";

    public string Job { get; set; } = "";

    /// <summary>False until the first successful poll recorded the last build (that poll starts nothing).</summary>
    public bool Seeded { get; set; }

    public long LastBuild { get; set; }

    /// <summary>Builds seen running (or whose event could not be sent) that are still to be sent when finished.</summary>
    public List<long> Waiting { get; set; } = [];

    public long? PolledAt { get; set; }

    public long? SucceededAt { get; set; }

    /// <summary>Why the last poll failed; null when it worked.</summary>
    public string? Error { get; set; }

    /// <summary>Finished builds the last successful poll sent as events.</summary>
    public List<long> LastSent { get; set; } = [];
}
