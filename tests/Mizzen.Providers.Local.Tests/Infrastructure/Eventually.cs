namespace Mizzen.Providers.Local.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes (integration tests with real processes; never a fixed sleep as an assertion).</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}; last value: {last}");
            }

#pragma warning disable RS0030 // Poll interval of the condition wait itself.
            await Task.Delay(50);
#pragma warning restore RS0030
        }
    }

    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        Until(condition, ok => ok, timeout, what);
}
