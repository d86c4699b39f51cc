using System.Collections.Concurrent;
using System.Text.Json;

namespace Mizzen.Providers.Local.Tests.Infrastructure;

/// <summary>
/// Workers sending GET requests through a load balancer back to back until stopped. Counts every answer that is not a 200 with the
/// demo service's JSON (or that throws) as a failure, and records who answered and when.
/// </summary>
public sealed class ContinuousLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> workers;
    private readonly ConcurrentQueue<Answer> answers = new();
    private readonly ConcurrentQueue<string> failures = new();
    private long sent;

    private ContinuousLoad(Uri url, int workerCount)
    {
        workers = [.. Enumerable.Range(0, workerCount).Select(_ => Task.Run(() => RunAsync(url)))];
    }

    /// <summary>One answer: the demo service's version and instance, and the number of requests sent before this one was.</summary>
    public sealed record Answer(string Version, string Instance, long SentBefore, long AnsweredAt);

    public IReadOnlyCollection<Answer> Answers => answers;

    public IReadOnlyCollection<string> Failures => failures;

    /// <summary>Requests sent so far: a marker to tell answers to requests sent before and after a moment apart.</summary>
    public long Sent => Interlocked.Read(ref sent);

    public static ContinuousLoad Start(Uri url, int workers) => new(url, workers);

    /// <summary>Waits until <paramref name="count"/> more requests than now have been answered successfully.</summary>
    public Task AnsweredAsync(int count, string what)
    {
        var target = answers.Count + count;
        return Eventually.Until(() => Task.FromResult(answers.Count >= target), TimeSpan.FromSeconds(30), what);
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    private async Task RunAsync(Uri url)
    {
        while (!stop.IsCancellationRequested)
        {
            var before = Interlocked.Increment(ref sent) - 1;
            try
            {
                using var response = await HttpProbe.Client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode != 200)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {body}");
                    continue;
                }

                using var json = JsonDocument.Parse(body);
                answers.Enqueue(new Answer(
                    json.RootElement.GetProperty("version").GetString()!, json.RootElement.GetProperty("instance").GetString()!, before, Sent));
            }
            catch (Exception e)
            {
                failures.Enqueue($"{e.GetType().Name}: {e.Message}");
            }
        }
    }
}
