using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Queue;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Notifications;

namespace Mizzen.Triggers.Tests.Notifications;

/// <summary>
/// The real engine and store (<see cref="TriggerServices"/>) with notifications pointed at a real SMTP server, a fake Slack and a
/// webhook receiver on loopback. The test drives the queue: <see cref="DrainAsync"/> handles what is due, <see cref="AdvanceAsync"/>
/// moves the test clock to the next delivery (a retry's backoff) and handles it. Every handled message is kept in <see cref="Handled"/>.
/// </summary>
public sealed class NotificationEngine : IAsyncDisposable
{
    public const string PublicUrl = "http://mizzen.example.test:8084";

    private NotificationEngine(TriggerServices services, FakeTimeProvider clock, RecordedLogs logs)
    {
        Services = services;
        Clock = clock;
        Logs = logs;
    }

    public TriggerServices Services { get; }

    public FakeTimeProvider Clock { get; }

    public RecordedLogs Logs { get; }

    public List<(string Kind, string Payload)> Handled { get; } = [];

    public static async Task<NotificationEngine> CreateAsync(StoreBackend backend, int smtpPort, string slackBaseUrl, Action<NotificationOptions>? adjust = null,
        Action<IServiceCollection>? addServices = null)
    {
        var clock = TestTime.Clock();
        var logs = new RecordedLogs();
        var services = await TriggerServices.CreateAsync(backend, clock, "mizzen-notify", s =>
        {
            s.AddSingleton<ILoggerProvider>(logs);
            addServices?.Invoke(s);
            s.Configure<NotificationOptions>(o =>
            {
                o.PublicUrl = PublicUrl;
                o.Email.Host = "127.0.0.1";
                o.Email.Port = smtpPort;
                o.Email.Security = SmtpSecurity.None;
                o.Email.From = "Mizzen <mizzen@example.test>";
                o.Slack.Token = FakeSlack.Token;
                o.Slack.BaseUrl = slackBaseUrl + "/api";
                adjust?.Invoke(o);
            });
        });
        return new NotificationEngine(services, clock, logs);
    }

    public async Task<PipelineExecution> StartAsync(string configJson, JsonObject? parameters = null)
    {
        var trigger = new JsonObject { ["type"] = "manual", ["user"] = "alice" };
        if (parameters is not null)
        {
            trigger["parameters"] = parameters;
        }

        var run = await Services.Get<IExecutionRunner>().StartAsync(PipelineConfig.Parse(configJson), trigger, "alice", CancellationToken.None);
        await DrainAsync();
        return await GetAsync(run.Id);
    }

    public async Task<PipelineExecution> GetAsync(string id) => (await Services.Get<IExecutionStore>().GetAsync(id, CancellationToken.None))!;

    /// <summary>Handles every message due now, and those they push, until none is due.</summary>
    public async Task DrainAsync()
    {
        var queue = Services.Get<IMessageQueue>();
        var processor = Services.Get<MessageProcessor>();
        for (var guard = 0; guard < 10_000; guard++)
        {
            var batch = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var message in batch)
            {
                Handled.Add((message.Kind, message.Payload));
                await processor.ProcessAsync(message, CancellationToken.None);
            }
        }

        throw new InvalidOperationException("the engine did not go idle");
    }

    /// <summary>Moves the clock to the next queued message's delivery time and handles what is due; false when the queue is empty.</summary>
    public async Task<bool> AdvanceAsync()
    {
        if (await Services.Get<IMessageQueue>().NextDeliveryAsync(CancellationToken.None) is not { } next)
        {
            return false;
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(next);
        if (at > Clock.GetUtcNow())
        {
            Clock.SetUtcNow(at);
        }

        await DrainAsync();
        return true;
    }

    /// <summary>The delay until the next queued message is due, or null when the queue is empty.</summary>
    public async Task<TimeSpan?> NextDueInAsync() =>
        await Services.Get<IMessageQueue>().NextDeliveryAsync(CancellationToken.None) is { } next
            ? DateTimeOffset.FromUnixTimeMilliseconds(next) - Clock.GetUtcNow()
            : null;

    /// <summary>The lifecycle messages handled so far (each delivery, retries included).</summary>
    public IReadOnlyList<NotifyLifecycle> LifecycleMessages() =>
        [.. Handled.Where(h => h.Kind == "notifyLifecycle").Select(h => (NotifyLifecycle)MessageCodec.Decode(h.Kind, h.Payload))];

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
