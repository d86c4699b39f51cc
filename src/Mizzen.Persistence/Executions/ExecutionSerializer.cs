using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Core.Secrets;

namespace Mizzen.Persistence.Executions;

/// <summary>
/// Executions are stored as one header row plus one row per stage, so a change to one stage rewrites one
/// small row, not the whole (possibly megabyte-sized) execution.
/// Everything written here, to the store or to the API, first has credential header values that are not secret references
/// replaced (<see cref="CredentialHeaders.RedactInPlace"/>): a pipeline saved with a written-out token before such pipelines were
/// refused must not get it into the database, the API or the event streams.
/// </summary>
public static class ExecutionSerializer
{
    public static string SerializeHeader(PipelineExecution execution)
    {
        RedactHeader(execution);
        var stages = execution.Stages;
        execution.Stages = [];
        try
        {
            return JsonSerializer.Serialize(execution, MizzenJson.Context.PipelineExecution);
        }
        finally
        {
            execution.Stages = stages;
        }
    }

    public static string SerializeStage(StageExecution stage)
    {
        Redact(stage);
        return JsonSerializer.Serialize(stage, MizzenJson.Context.StageExecution);
    }

    /// <summary>Replaces credential header values that are not secret references in the run's trigger, initial config and stages.</summary>
    public static void Redact(PipelineExecution execution)
    {
        RedactHeader(execution);
        foreach (var stage in execution.Stages)
        {
            Redact(stage);
        }
    }

    private static void RedactHeader(PipelineExecution execution)
    {
        CredentialHeaders.RedactInPlace(execution.Trigger);
        CredentialHeaders.RedactInPlace(execution.InitialConfig);
    }

    private static void Redact(StageExecution stage)
    {
        CredentialHeaders.RedactInPlace(stage.Context);
        CredentialHeaders.RedactInPlace(stage.Outputs);
    }

    public static PipelineExecution DeserializeHeader(string json) =>
        JsonSerializer.Deserialize(json, MizzenJson.Context.PipelineExecution)
        ?? throw new JsonException("stored execution is null");

    public static StageExecution DeserializeStage(string json) =>
        JsonSerializer.Deserialize(json, MizzenJson.Context.StageExecution)
        ?? throw new JsonException("stored stage is null");

    /// <summary>The whole execution as one JSON document (the API's shape).</summary>
    public static string Serialize(PipelineExecution execution)
    {
        Redact(execution);
        return JsonSerializer.Serialize(execution, MizzenJson.Context.PipelineExecution);
    }

    /// <summary>
    /// A list of executions as one JSON array (the API's list shape), written as UTF-8 straight to <paramref name="stream"/>:
    /// the same bytes as <see cref="SerializeList"/> without building the document as a string first (a page of 50 runs of
    /// 10 stages is a few hundred kilobytes).
    /// </summary>
    public static async Task WriteListAsync(Stream stream, IReadOnlyList<PipelineExecution> executions, CancellationToken cancellationToken)
    {
        // Serialize flushes the writer synchronously: into a buffer, never into the response stream (Kestrel forbids that).
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MizzenJson.Context.Options.Encoder, SkipValidation = true });
        writer.WriteStartArray();
        foreach (var execution in executions)
        {
            Redact(execution);
            JsonSerializer.Serialize(writer, execution, MizzenJson.Context.PipelineExecution);
            if (buffer.WrittenCount >= 64 * 1024)
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>A list of executions as one JSON array (the API's list shape).</summary>
    public static string SerializeList(IReadOnlyList<PipelineExecution> executions)
    {
        var builder = new System.Text.StringBuilder("[");
        for (var i = 0; i < executions.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(Serialize(executions[i]));
        }

        return builder.Append(']').ToString();
    }
}
