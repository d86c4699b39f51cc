using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Persistence.Documents;

namespace Mizzen.Triggers;

/// <summary>What a trigger last did with an event addressed to it: started a run, or why not.</summary>
public sealed record TriggerOutcome
{
    public required string PipelineConfigId { get; init; }

    public required string Application { get; init; }

    public required string Pipeline { get; init; }

    public required int TriggerIndex { get; init; }

    public required string Type { get; init; }

    public required string EventId { get; init; }

    /// <summary>When the event was handled (epoch milliseconds).</summary>
    public required long At { get; init; }

    /// <summary><c>started</c>, <c>duplicate</c> (this event already started its run), <c>skipped</c> or <c>failed</c>.</summary>
    public required string Result { get; init; }

    public string? ExecutionId { get; init; }

    /// <summary>Why it did not start a run, in words (a constraint, a disabled trigger, an artifact no expected artifact matches).</summary>
    public string? Reason { get; init; }

    public string? Event { get; init; }
}

/// <summary>
/// The last outcome of each trigger, kept in the document store (collection <c>trigger-status</c>, key <c>{configId}/{index}</c>), so any
/// node answers "when did this trigger last see an event, and why did it or did it not fire".
/// </summary>
public sealed class TriggerStatusStore(IDocumentStore documents)
{
    private const string Collection = "trigger-status";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public Task RecordAsync(TriggerOutcome outcome, CancellationToken cancellationToken) =>
        documents.PutAsync(Collection, Key(outcome), JsonSerializer.Serialize(outcome, Json), "mizzen", cancellationToken);

    /// <summary>Records the outcome in <paramref name="transaction"/>: stored with what the transaction stores (the run it started), or not at all.</summary>
    public void Record(Persistence.IStoreTransaction transaction, TriggerOutcome outcome) =>
        transaction.PutDocument(Collection, Key(outcome), JsonSerializer.Serialize(outcome, Json), "mizzen");

    private static string Key(TriggerOutcome outcome) => $"{outcome.PipelineConfigId}/{outcome.TriggerIndex}";

    public async Task<TriggerOutcome?> GetAsync(string pipelineConfigId, int index, CancellationToken cancellationToken) =>
        await documents.GetAsync(Collection, $"{pipelineConfigId}/{index}", null, cancellationToken) is { } stored
            ? JsonSerializer.Deserialize<TriggerOutcome>(stored.Body, Json)
            : null;

    /// <summary>The outcome as JSON for the API (the same field names as stored).</summary>
    public static JsonObject ToJson(TriggerOutcome outcome) => JsonSerializer.SerializeToNode(outcome, Json)!.AsObject();
}
