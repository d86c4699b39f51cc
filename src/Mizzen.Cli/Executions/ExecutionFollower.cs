using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>A finished execution as typed model and as the JSON the server sent.</summary>
internal sealed record FollowedExecution(PipelineExecution Execution, JsonNode Json);

/// <summary>
/// Follows a run until it completes: reads <c>GET /pipelines/{id}/events</c> (server-sent events, each one the full
/// execution), reconnects when the stream drops (the first event is always the current state, so nothing is lost),
/// and polls <c>GET /pipelines/{id}</c> when the server has no event stream (404).
/// </summary>
internal sealed class ExecutionFollower(MizzenClient client, CliSettings settings, StageProgress progress)
{
    private const int MaxBackoffFactor = 8;

    public async Task<FollowedExecution> FollowAsync(string executionId, CancellationToken cancellationToken)
    {
        var failedAttempts = 0;
        while (true)
        {
            var outcome = await StreamOnceAsync(executionId, cancellationToken);
            if (outcome.Finished is { } finished)
            {
                return finished;
            }

            if (outcome.NoEventStream)
            {
                return await PollAsync(executionId, cancellationToken);
            }

            failedAttempts = outcome.ReceivedEvents ? 1 : failedAttempts + 1;
            if (failedAttempts > settings.MaxReconnectAttempts)
            {
                throw new CliException(
                    $"lost Mizzen at {client.ServerText} while following execution {executionId} — is `./mizzen serve` running?",
                    ExitCodes.Unreachable);
            }

            var factor = Math.Min(MaxBackoffFactor, 1 << Math.Min(failedAttempts - 1, 3));
            await Task.Delay(settings.ReconnectDelay * factor, settings.Clock, cancellationToken);
        }
    }

    private async Task<StreamOutcome> StreamOnceAsync(string executionId, CancellationToken cancellationToken)
    {
        var receivedEvents = false;
        try
        {
            using var response = await client.OpenEventStreamAsync(ApiPath.Of("pipelines", executionId, "events"), cancellationToken);
            if (response is null)
            {
                return new StreamOutcome(NoEventStream: true);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            await foreach (var message in ServerSentEventReader.ReadAsync(reader, cancellationToken))
            {
                if (message.Type is not ("execution" or "message"))
                {
                    continue;
                }

                receivedEvents = true;
                var followed = Read(message.Data);
                progress.Observe(followed.Execution);
                if (followed.Execution.Status.IsComplete())
                {
                    return new StreamOutcome(Finished: followed);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // Refused, reset or cut mid-stream: reconnect.
        }

        return new StreamOutcome(ReceivedEvents: receivedEvents);
    }

    private async Task<FollowedExecution> PollAsync(string executionId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var json = await client.GetAsync(ApiPath.Of("pipelines", executionId), cancellationToken);
            var execution = Answers.As<PipelineExecution>(json, "execution");
            progress.Observe(execution);
            if (execution.Status.IsComplete())
            {
                return new FollowedExecution(execution, json!);
            }

            await Task.Delay(settings.PollInterval, settings.Clock, cancellationToken);
        }
    }

    private static FollowedExecution Read(string data)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(data);
        }
        catch (JsonException e)
        {
            throw new CliException($"the event stream sent something that is not JSON: {e.Message}");
        }

        return new FollowedExecution(Answers.As<PipelineExecution>(json, "execution"), json!);
    }

    private sealed record StreamOutcome(FollowedExecution? Finished = null, bool NoEventStream = false, bool ReceivedEvents = false);
}
