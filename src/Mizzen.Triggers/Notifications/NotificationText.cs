using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages.ManualJudgment;

namespace Mizzen.Triggers.Notifications;

/// <summary>
/// Writes a notification's subject and text. The default text says what happened to which pipeline of which application, with the
/// run's status; a custom <c>message[event].text</c> replaces it, evaluated as Spinnaker evaluates it (<c>${ }</c> against the run and
/// stage, with <c>{{link}}</c> and <c>{{executionId}}</c> replaced). A custom text whose expressions fail is sent as written, with a
/// log: a typo never stops a notification. The link always ends the text.
/// </summary>
public sealed partial class NotificationText(IExpressionEvaluator expressions, IOptions<NotificationOptions> options, ILogger<NotificationText> logger)
{
    public RenderedNotification Render(string @event, NotificationEntry entry, PipelineExecution execution, StageExecution? stage)
    {
        var runLink = $"{(options.Value.PublicUrl ?? "http://localhost:8084").TrimEnd('/')}/ui/executions/{Uri.EscapeDataString(execution.Id)}";
        var link = stage is null ? runLink : $"{runLink}#stage-{Uri.EscapeDataString(stage.Id)}";
        var subject = Subject(@event, execution, stage);
        var body = entry.CustomText(@event) is { } custom ? Evaluate(custom, execution, stage, entry) : DefaultText(@event, subject, execution, stage);
        body = body.Replace("{{link}}", link, StringComparison.Ordinal).Replace("{{executionId}}", execution.Id, StringComparison.Ordinal);
        var call = @event == NotificationEvents.ManualJudgment ? "Judge it" : "View the run";
        return new RenderedNotification(@event, subject, $"{body}\n\n{call}: {link}", link, execution, stage, entry);
    }

    private static string Subject(string @event, PipelineExecution execution, StageExecution? stage)
    {
        var pipeline = $"pipeline '{execution.Name ?? execution.Id}' of {execution.Application}";
        var stageName = $"stage '{stage?.Name ?? stage?.Id}' of {pipeline}";
        var judge = stage?.Context[WaitForJudgmentTask.LastModifiedByKey].AsString() is { Length: > 0 } by ? $" by {by}" : "";
        return @event switch
        {
            LifecycleEvents.PipelineStarting => $"Starting: {pipeline}",
            LifecycleEvents.PipelineComplete => $"Succeeded: {pipeline}",
            LifecycleEvents.PipelineFailed => $"Failed ({execution.Status.ToWireName()}): {pipeline}",
            LifecycleEvents.StageStarting => $"Starting: {stageName}",
            LifecycleEvents.StageComplete => $"Succeeded: {stageName}",
            LifecycleEvents.StageFailed => $"Failed ({stage?.Status.ToWireName()}): {stageName}",
            NotificationEvents.ManualJudgment => $"Awaiting judgment: {stageName}",
            NotificationEvents.ManualJudgmentContinue => $"Judged to continue{judge}: {stageName}",
            NotificationEvents.ManualJudgmentStop => $"Judged to stop{judge}: {stageName}",
            _ => $"{@event}: {pipeline}",
        };
    }

    private static string DefaultText(string @event, string subject, PipelineExecution execution, StageExecution? stage)
    {
        var lines = new List<string> { subject + "." };
        if (@event == NotificationEvents.ManualJudgment && stage?.Context["instructions"].AsString() is { Length: > 0 } instructions)
        {
            lines.Add($"Instructions: {instructions}");
        }

        if (@event is NotificationEvents.ManualJudgmentContinue or NotificationEvents.ManualJudgmentStop
            && stage?.Context[WaitForJudgmentTask.JudgmentInputKey].AsString() is { Length: > 0 } input)
        {
            lines.Add($"Input: {input}");
        }

        if (@event is LifecycleEvents.PipelineFailed or LifecycleEvents.StageFailed
            && (stage ?? execution.Stages.Find(s => s.Status is ExecutionStatus.Terminal && s.Context["exception"] is not null)) is { } failed
            && failed.Context["exception"]?["details"]?["errors"] is JsonArray { Count: > 0 } errors)
        {
            lines.Add($"Stage '{failed.Name}': {string.Join("; ", errors.Select(e => e.AsString()).OfType<string>())}");
        }

        // The run is read when the event is told, which may be after it moved on: a starting event names no status.
        var status = @event is LifecycleEvents.PipelineStarting or LifecycleEvents.StageStarting or NotificationEvents.ManualJudgment
            ? ""
            : $" Status: {(stage?.Status ?? execution.Status).ToWireName()}.";
        lines.Add($"Application: {execution.Application}.{status} Run: {execution.Id}.");
        return string.Join("\n", lines);
    }

    private string Evaluate(string text, PipelineExecution execution, StageExecution? stage, NotificationEntry entry)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        try
        {
            var result = expressions.Process(JsonValue.Create(text), new ExpressionScope(execution, stage, User: execution.Authentication.User));
            if (result.Summary.HasFailures)
            {
                LogExpressionFailed(execution.Id, entry.ToString(), result.Summary.ToJson().ToJsonString());
                return text;
            }

            return result.Value switch
            {
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
                null => "",
                var other => other.ToJsonString(),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogExpressionFailed(execution.Id, entry.ToString(), e.Message);
            return text;
        }
    }

    [LoggerMessage(EventId = 9301, Level = LogLevel.Warning,
        Message = "The custom text of the {Notification} of execution {ExecutionId} has expressions that failed ({Failures}); it is sent as written")]
    private partial void LogExpressionFailed(string executionId, string notification, string failures);
}
