using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mizzen.Server.Tests.Infrastructure;

/// <summary>Every log line a <see cref="RunningServer"/> writes (event id, category, message), so a test can wait for a step of the server's own work.</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> entries = new();

    public IReadOnlyList<RecordedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);

    /// <summary>Waits for the first line that <paramref name="matches"/> (the server works in the background; the deadline turns a hang into a failure).</summary>
    public Task<RecordedLog> WaitForAsync(Func<RecordedLog, bool> matches, TimeSpan timeout, string what) =>
        Eventually.GetAsync(() => Task.FromResult(entries.FirstOrDefault(matches)), timeout, what);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<RecordedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue(new RecordedLog(eventId.Id, category, logLevel, formatter(state, exception)));
            }
        }
    }
}

public sealed record RecordedLog(int EventId, string Category, LogLevel Level, string Message);
