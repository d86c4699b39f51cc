namespace Mizzen.Server.Demo;

/// <summary>A machine-wide turn for building the demo bundles: an exclusively opened file in the temp folder, polled every second.</summary>
internal sealed class BuildLock(FileStream file) : IAsyncDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "mizzen-demo-bundles.lock");

    public static async Task<BuildLock> AcquireAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new BuildLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => file.DisposeAsync();
}
