using System.Globalization;
using System.Text;

namespace Mizzen.Server.Ui.Components;

/// <summary>
/// How many open pages follow an instance log now (one reader each, see <c>LogTail</c>): <c>/metrics</c> reports it as
/// <c>mizzen_ui_live_log_readers</c>, so a reader left running after its page closed would show.
/// </summary>
public sealed class LiveLogReaders
{
    private int count;

    public int Count => Volatile.Read(ref count);

    /// <summary>Counts a reader until the returned handle is disposed.</summary>
    public IDisposable Enter()
    {
        Interlocked.Increment(ref count);
        return new Reader(this);
    }

    public void Write(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.AppendLine("# HELP mizzen_ui_live_log_readers Instance logs followed live by an open UI page.");
        output.AppendLine("# TYPE mizzen_ui_live_log_readers gauge");
        output.Append(CultureInfo.InvariantCulture, $"mizzen_ui_live_log_readers {Count}\n");
    }

    private sealed class Reader(LiveLogReaders readers) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref readers.count);
            }
        }
    }
}
