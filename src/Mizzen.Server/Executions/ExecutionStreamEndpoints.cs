using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;

namespace Mizzen.Server.Executions;

/// <summary>
/// Live runs as server-sent events: <c>event: execution</c> with the full execution JSON on every committed change.
/// The first event is always the current state; the per-execution stream ends after the run completes.
/// </summary>
public static class ExecutionStreamEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapExecutionStreamEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/pipelines/{id}/events", async (string id, HttpContext http, IExecutionStore executions, ExecutionEvents events, CancellationToken ct) =>
        {
            using var subscription = events.Subscribe(id, null);
            var execution = await executions.GetAsync(id, ct);
            if (execution is null)
            {
                return Results.NotFound();
            }

            Start(http);
            var last = ExecutionSerializer.Serialize(execution);
            await SendAsync(http, "execution", last, ct);
            while (!execution.Status.IsComplete() && !ct.IsCancellationRequested)
            {
                if (!await WaitForChangeAsync(http, subscription, ct))
                {
                    break;
                }

                execution = await executions.GetAsync(id, ct);
                if (execution is null)
                {
                    break;
                }

                var json = ExecutionSerializer.Serialize(execution);
                if (json != last)
                {
                    await SendAsync(http, "execution", json, ct);
                    last = json;
                }
            }

            return Results.Empty;
        });

        routes.MapGet("/applications/{app}/executions/events", async (string app, HttpContext http, IExecutionStore executions, ExecutionEvents events, CancellationToken ct) =>
        {
            using var subscription = events.Subscribe(null, app);
            Start(http);
            await http.Response.WriteAsync(": subscribed\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                beat.CancelAfter(Heartbeat);
                string changedId;
                try
                {
                    changedId = await subscription.Changes.ReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": heartbeat\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    continue;
                }
                catch (System.Threading.Channels.ChannelClosedException)
                {
                    break;
                }

                if (await executions.GetAsync(changedId, ct) is { } changed)
                {
                    await SendAsync(http, "execution", ExecutionSerializer.Serialize(changed), ct);
                }
            }

            return Results.Empty;
        });
        return routes;
    }

    private static void Start(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>Waits for a change (draining bursts into one), sending heartbeats meanwhile; false when the stream closed.</summary>
    private static async Task<bool> WaitForChangeAsync(HttpContext http, ExecutionEvents.Subscription subscription, CancellationToken ct)
    {
        while (true)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
            beat.CancelAfter(Heartbeat);
            try
            {
                await subscription.Changes.ReadAsync(beat.Token);
                while (subscription.Changes.TryRead(out _))
                {
                }

                return true;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await http.Response.WriteAsync(": heartbeat\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                return false;
            }
        }
    }

    private static async Task SendAsync(HttpContext http, string name, string json, CancellationToken ct)
    {
        await http.Response.WriteAsync($"event: {name}\ndata: {json}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
