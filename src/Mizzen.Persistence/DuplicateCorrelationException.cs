namespace Mizzen.Persistence;

/// <summary>
/// A commit tried to store an execution whose trigger's <c>correlationId</c> another transaction stored first (two nodes handling the
/// same redelivered event at once). Nothing of the commit was written; the caller finds the execution that won by the correlation id.
/// </summary>
public sealed class DuplicateCorrelationException(Exception inner)
    : Exception("an execution with this correlation id was stored by another transaction first", inner);
