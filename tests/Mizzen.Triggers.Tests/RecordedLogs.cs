using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Triggers.Tests;

/// <summary>Every log line written (category, level, message and exception text), so a test can wait for a background loop's step and check what was logged.</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> entries = new();

    public IReadOnlyList<RecordedLog> Entries => [.. entries];

    /// <summary>Adds the recorder to <paramref name="services"/>, at every level (the harness's own minimum is Warning).</summary>
    public void AddTo(IServiceCollection services) =>
        services.AddLogging(b => b.AddProvider(this).AddFilter<RecordedLogs>(null, LogLevel.Trace));

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);

    /// <summary>Waits (polling, with a real deadline) for the first line that <paramref name="matches"/>.</summary>
    public async Task<RecordedLog> WaitForAsync(Func<RecordedLog, bool> matches, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (entries.FirstOrDefault(matches) is { } found)
            {
                return found;
            }

#pragma warning disable RS0030 // Poll interval while a background loop talks to a real server (the wait is for a condition, with a deadline).
            await Task.Delay(TimeSpan.FromMilliseconds(20));
#pragma warning restore RS0030
        }

        throw new TimeoutException($"timed out waiting for {what}; logged: {string.Join(" | ", entries.Select(e => e.Message))}");
    }

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<RecordedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new RecordedLog(category, logLevel, formatter(state, exception), exception?.ToString()));
    }
}

public sealed record RecordedLog(string Category, LogLevel Level, string Message, string? Exception);
