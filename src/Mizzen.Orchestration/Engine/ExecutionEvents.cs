using System.Threading.Channels;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// In-process notifications that an execution changed (committed). The API's live streams subscribe; notifications
/// carry ids only, subscribers read the stored state, so a slow subscriber never holds up the engine.
/// </summary>
public sealed class ExecutionEvents
{
    private readonly Lock gate = new();
    private readonly List<Subscription> subscriptions = [];

    public void Publish(string executionId, string application)
    {
        Subscription[] current;
        lock (gate)
        {
            current = [.. subscriptions];
        }

        foreach (var subscription in current)
        {
            if (subscription.Matches(executionId, application))
            {
                subscription.Channel.Writer.TryWrite(executionId);
            }
        }
    }

    /// <summary>Changes of one execution (<paramref name="executionId"/>) or of every execution of an application.</summary>
    public Subscription Subscribe(string? executionId, string? application)
    {
        var subscription = new Subscription(this, executionId, application);
        lock (gate)
        {
            subscriptions.Add(subscription);
        }

        return subscription;
    }

    public sealed class Subscription(ExecutionEvents owner, string? executionId, string? application) : IDisposable
    {
        internal Channel<string> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<string>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<string> Changes => Channel.Reader;

        internal bool Matches(string id, string app) =>
            (executionId is null || executionId == id) && (application is null || string.Equals(application, app, StringComparison.OrdinalIgnoreCase));

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.subscriptions.Remove(this);
            }

            Channel.Writer.TryComplete();
        }
    }
}
