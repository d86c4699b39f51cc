using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// Google's Pub/Sub emulator (the Cloud SDK's <c>cloud-pubsub-emulator</c>, a Java server) on a free loopback port with its data in a
/// temporary folder, started once for the test collection and killed with its process tree at the end. Tests create their own topics
/// and subscriptions (unique names) and publish through the same REST API Mizzen pulls with.
/// </summary>
public sealed class PubSubEmulator : IAsyncLifetime
{
    public const string Binary = "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator";

    public const string Project = "mizzen-test";

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "mizzen-pubsub-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder output = new();
    private Process? process;

    public Uri Endpoint { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"The Pub/Sub emulator is not at {Binary}. Install it (Google Cloud SDK: `apt-get install google-cloud-cli-pubsub-emulator`) "
                + "and a Java runtime (`apt-get install default-jre-headless`) to run these tests.");
        }

        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--host=127.0.0.1");
        start.ArgumentList.Add($"--port={port}");
        start.ArgumentList.Add($"--data-dir={dataDirectory}");
        process = Process.Start(start) ?? throw new InvalidOperationException("the Pub/Sub emulator did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilAnsweringAsync();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder is not worth failing a run over.
        }
    }

    /// <summary>A new topic and a pull subscription on it (ack deadline 10 s, Pub/Sub's minimum); returns the subscription's id.</summary>
    public async Task<string> CreateSubscriptionAsync(string topic, string? subscription = null)
    {
        subscription ??= topic + "-sub";
        await CreateTopicAsync(topic);
        await SendAsync(HttpMethod.Put, $"v1/projects/{Project}/subscriptions/{subscription}",
            new JsonObject { ["topic"] = $"projects/{Project}/topics/{topic}", ["ackDeadlineSeconds"] = 10 });
        return subscription;
    }

    public Task CreateTopicAsync(string topic) => SendAsync(HttpMethod.Put, $"v1/projects/{Project}/topics/{topic}", new JsonObject());

    /// <summary>Publishes one message (data as UTF-8, base64-encoded as the API wants); returns its message id.</summary>
    public async Task<string> PublishAsync(string topic, string data, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var message = new JsonObject { ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(data)) };
        if (attributes is not null)
        {
            message["attributes"] = new JsonObject([.. attributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]);
        }

        var answer = await SendAsync(HttpMethod.Post, $"v1/projects/{Project}/topics/{topic}:publish", new JsonObject { ["messages"] = new JsonArray(message) });
        return answer["messageIds"]![0]!.GetValue<string>();
    }

    /// <summary>Pulls as another subscriber would (nothing acknowledged): the received messages, as Mizzen reads them.</summary>
    public async Task<IReadOnlyList<Mizzen.Triggers.PubSub.PubSubMessage>> PullAsync(string subscription, bool returnImmediately)
    {
        var answer = await SendAsync(HttpMethod.Post, $"v1/projects/{Project}/subscriptions/{subscription}:pull",
            new JsonObject { ["maxMessages"] = 100, ["returnImmediately"] = returnImmediately });
        return [.. (answer["receivedMessages"] as JsonArray ?? []).OfType<JsonObject>().Select(Mizzen.Triggers.PubSub.PubSubMessage.FromReceived)];
    }

    public Task LeaseAsync(string subscription, IEnumerable<string> ackIds, int seconds) =>
        SendAsync(HttpMethod.Post, $"v1/projects/{Project}/subscriptions/{subscription}:modifyAckDeadline",
            new JsonObject { ["ackIds"] = new JsonArray([.. ackIds.Select(a => (JsonNode)a)]), ["ackDeadlineSeconds"] = seconds });

    public async Task AcknowledgeAsync(string subscription, IEnumerable<string> ackIds)
    {
        var ids = ackIds.ToList();
        if (ids.Count > 0)
        {
            await SendAsync(HttpMethod.Post, $"v1/projects/{Project}/subscriptions/{subscription}:acknowledge", new JsonObject { ["ackIds"] = new JsonArray([.. ids.Select(a => (JsonNode)a)]) });
        }
    }

    /// <summary>
    /// The messages of <paramref name="subscription"/> that are still unacknowledged, proven by waiting for evidence rather than for time: a
    /// sentinel is published, pulled and leased for 1 s, and the pulls go on until it is delivered again — by then every message whose lease
    /// (at most 1 s in these tests) ran out earlier has been delivered too. Returns their message ids; everything seen is acknowledged.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnacknowledgedAsync(string topic, string subscription)
    {
        var sentinel = await PublishAsync(topic, "sentinel");
        var seen = new List<string>();
        var sentinelDeliveries = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (sentinelDeliveries < 2)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var messages = await PullAsync(subscription, returnImmediately: false);
            sentinelDeliveries += messages.Count(m => m.MessageId == sentinel);
            seen.AddRange(messages.Where(m => m.MessageId != sentinel).Select(m => m.MessageId));
            var sentinelAcks = messages.Where(m => m.MessageId == sentinel).Select(m => m.AckId).ToList();
            if (sentinelDeliveries < 2)
            {
                await LeaseAsync(subscription, sentinelAcks, 1);
                await AcknowledgeAsync(subscription, messages.Where(m => m.MessageId != sentinel).Select(m => m.AckId));
            }
            else
            {
                await AcknowledgeAsync(subscription, messages.Select(m => m.AckId));
            }
        }

        return [.. seen.Distinct()];
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject body)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text) as JsonObject ?? []
            : throw new InvalidOperationException($"emulator {method} {path}: {(int)response.StatusCode} {text}");
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"the Pub/Sub emulator exited with code {process.ExitCode}: {Output}");
            }

            try
            {
                using var answer = await Http.GetAsync("");
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet (the JVM takes a few seconds).
            }

#pragma warning disable RS0030 // Poll interval while the emulator's JVM starts (the loop waits on that condition, with a deadline).
            await Task.Delay(TimeSpan.FromMilliseconds(200));
#pragma warning restore RS0030
        }

        throw new TimeoutException($"the Pub/Sub emulator did not answer on {Endpoint} within 90 s: {Output}");
    }

    private string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PubSubEmulatorCollection : ICollectionFixture<PubSubEmulator>
{
    public const string Name = "pubsub-emulator";
}
