using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Persistence.Queue;

namespace Mizzen.Orchestration.Queue;

/// <summary>Turns engine messages into queue rows and back.</summary>
public static class MessageCodec
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["startExecution"] = typeof(StartExecution),
        ["startStage"] = typeof(StartStage),
        ["evaluateStage"] = typeof(EvaluateStage),
        ["startTask"] = typeof(StartTask),
        ["runTask"] = typeof(RunTask),
        ["completeTask"] = typeof(CompleteTask),
        ["completeStage"] = typeof(CompleteStage),
        ["skipStage"] = typeof(SkipStage),
        ["continueParentStage"] = typeof(ContinueParentStage),
        ["completeExecution"] = typeof(CompleteExecution),
        ["cancelStage"] = typeof(CancelStage),
        ["rescheduleExecution"] = typeof(RescheduleExecution),
        ["restartStage"] = typeof(RestartStage),
        ["startWaitingExecutions"] = typeof(StartWaitingExecutions),
        ["executionFinished"] = typeof(ExecutionFinished),
        ["notifyLifecycle"] = typeof(NotifyLifecycle),
    };

    public static string Payload(EngineMessage message) => JsonSerializer.Serialize(message, message.GetType(), MizzenJson.Options);

    public static OutgoingMessage ToOutgoing(EngineMessage message, long deliverAt) => new(message.Kind, Payload(message), deliverAt);

    public static EngineMessage Decode(string kind, string payload) =>
        Types.TryGetValue(kind, out var type)
            ? (EngineMessage)(JsonSerializer.Deserialize(payload, type, MizzenJson.Options) ?? throw new JsonException($"empty {kind} message"))
            : throw new JsonException($"unknown message kind '{kind}'");
}
