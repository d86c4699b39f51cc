namespace Mizzen.Server.Tests.Infrastructure;

/// <summary>
/// Polls real processes (instances, load balancers, executions) until a condition holds. Integration tests wait on the outside world,
/// which no test clock can advance; the deadline makes a hang a failure with a message.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        Exception? last = null;
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                last = e;
            }

#pragma warning disable RS0030 // Poll interval of the condition wait itself.
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
#pragma warning restore RS0030
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}{(last is null ? "" : $" (last error: {last.Message})")}");
    }
}
