using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Mizzen.Testing.Kubernetes;

namespace Mizzen.Providers.Kubernetes.Tests.Canary;

/// <summary>
/// A client's WATCH on the fake API server (real HTTP, <c>watch=1</c> from a resourceVersion), recording every event with the object
/// as stored at that change. Starting from the resourceVersion of a seeded object, the fake replays every change after it, so the
/// recording holds each state the object was stored in, in order — nothing is sampled.
/// </summary>
internal sealed class WatchRecorder : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly List<(string Type, JsonObject Object)> events = [];
    private readonly Task reading;
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WatchRecorder(HttpClient http, string path, string fromResourceVersion)
    {
        this.http = http;
        From = fromResourceVersion;
        reading = ReadAsync(path);
    }

    /// <param name="collectionPath">e.g. <c>/apis/apps/v1/namespaces/prod/deployments</c></param>
    public static WatchRecorder Start(FakeKubernetesApiServer server, string token, string collectionPath, string fromResourceVersion)
    {
        var http = new HttpClient { BaseAddress = server.Url, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new WatchRecorder(http, $"{collectionPath}?watch=1&resourceVersion={fromResourceVersion}", fromResourceVersion);
    }

    /// <summary>The resourceVersion the watch started after (its events are the changes since).</summary>
    public string From { get; }

    public IReadOnlyList<(string Type, JsonObject Object)> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    /// <summary>Waits until an event has <paramref name="resourceVersion"/> (at once for the version the watch started from).</summary>
    public Task WaitForAsync(string resourceVersion, TimeSpan timeout) => resourceVersion == From ? Task.CompletedTask :
        WaitUntilAsync(all => all.Any(e => e.Object["metadata"]?["resourceVersion"]?.GetValue<string>() == resourceVersion), $"resourceVersion {resourceVersion}", timeout);

    /// <summary>Waits until <paramref name="condition"/> holds for the events so far, checked as each arrives (no polling).</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<(string Type, JsonObject Object)>, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition(Events))
        {
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"waiting for the watch to report {what}");
            }

            var arrival = NextEventAsync();
            if (condition(Events))
            {
                return;
            }

            if (await Task.WhenAny(arrival, reading).WaitAsync(left).ConfigureAwait(false) == reading)
            {
                await reading;
                throw new InvalidOperationException($"the watch ended before it reported {what}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await reading;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        http.Dispose();
        stop.Dispose();
    }

    private Task NextEventAsync()
    {
        lock (gate)
        {
            return next.Task;
        }
    }

    private async Task ReadAsync(string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject watchEvent)
            {
                continue;
            }

            TaskCompletionSource arrived;
            lock (gate)
            {
                events.Add((watchEvent["type"]!.GetValue<string>(), (JsonObject)watchEvent["object"]!));
                arrived = next;
                next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            arrived.SetResult();
        }
    }
}
