namespace Mizzen.Persistence.Queue;

/// <summary>
/// A message as stored: its <see cref="Kind"/> (e.g. <c>runTask</c>) and JSON payload. Identical messages
/// (same kind and payload) waiting in the queue are stored once: pushing again only moves the delivery time.
/// </summary>
public sealed record QueueMessage(long Id, string Kind, string Payload, long DeliverAt, int Attempts, string LeaseToken);

/// <summary>
/// A message to push: delivered no earlier than <paramref name="DeliverAt"/> (epoch ms); when <paramref name="Node"/> is set,
/// only that node may claim it (its work touches a host-bound local account).
/// </summary>
public sealed record OutgoingMessage(string Kind, string Payload, long DeliverAt, string? Node = null);
