using Mizzen.Core.Model;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// What a channel sends for one notification and event: a one-line <see cref="Subject"/>, the <see cref="Text"/> (custom or default,
/// ending with the link), the <see cref="Link"/> to the run (for a judgment: to the stage, where it is judged), and what it is about.
/// </summary>
public sealed record RenderedNotification(
    string Event, string Subject, string Text, string Link, PipelineExecution Execution, StageExecution? Stage, NotificationEntry Entry);
