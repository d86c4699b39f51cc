using System.Globalization;
using System.Text;

namespace Mizzen.Providers.Local.Instances;

/// <summary>
/// An instance's stdout and stderr on disk, bounded: the process appends to <c>stdout.log</c>; when it passes the size limit it is
/// copied to <c>stdout.log.1</c> (older ones shift to <c>.2</c> ...) and truncated (copy-truncate, since the process keeps its file
/// open, even while Mizzen is down). Offsets count every byte ever written, so readers can follow across rotations.
/// </summary>
internal sealed class InstanceLogs(string folder, long maxBytes, int filesKept)
{
    private readonly Lock gate = new();

    public string PathOf(LogStream stream) => Path.Combine(folder, stream == LogStream.Stdout ? "stdout.log" : "stderr.log");

    public void RotateIfNeeded()
    {
        foreach (var stream in (LogStream[])[LogStream.Stdout, LogStream.Stderr])
        {
            var live = PathOf(stream);
            var info = new FileInfo(live);
            if (!info.Exists || info.Length < maxBytes)
            {
                continue;
            }

            lock (gate)
            {
                Rotate(stream, live);
            }
        }
    }

    private void Rotate(LogStream stream, string live)
    {
        var oldest = $"{live}.{filesKept - 1}";
        if (filesKept <= 1)
        {
            File.Delete(live + ".1");
        }
        else
        {
            File.Delete(oldest);
        }

        for (var i = filesKept - 2; i >= 1; i--)
        {
            var from = $"{live}.{i}";
            if (File.Exists(from))
            {
                File.Move(from, $"{live}.{i + 1}", overwrite: true);
            }
        }

        long copied;
        using (var source = new FileStream(live, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            copied = source.Length;
            if (filesKept > 1)
            {
                using var target = File.Create(live + ".1");
                CopyBytes(source, target, copied);
            }

            source.SetLength(0);
        }

        WriteBase(stream, ReadBase(stream) + copied);
    }

    /// <summary>Bytes from <paramref name="offset"/>, at most <paramref name="maxBytes"/>; an offset already rotated away starts at the oldest kept byte.</summary>
    public LogChunk Read(LogStream stream, long offset, int maxBytes)
    {
        lock (gate)
        {
            var segments = Segments(stream);
            var start = segments.Count == 0 ? ReadBase(stream) : segments[0].Start;
            var end = segments.Count == 0 ? start : segments[^1].Start + segments[^1].Length;
            var truncated = offset < start;
            var from = Math.Clamp(offset, start, end);
            var to = Math.Min(end, from + maxBytes);
            var bytes = new MemoryStream();
            foreach (var (path, segmentStart, length) in segments)
            {
                var lo = Math.Max(from, segmentStart);
                var hi = Math.Min(to, segmentStart + length);
                if (lo >= hi)
                {
                    continue;
                }

                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                file.Position = lo - segmentStart;
                CopyBytes(file, bytes, hi - lo);
            }

            return new LogChunk(Encoding.UTF8.GetString(bytes.ToArray()), from, from + bytes.Length, truncated);
        }
    }

    /// <summary>The last <paramref name="lines"/> lines (looking back at most 1 MiB).</summary>
    public LogChunk Tail(LogStream stream, int lines)
    {
        var end = Read(stream, long.MaxValue, 0).NextOffset;
        var chunk = Read(stream, Math.Max(0, end - (1024 * 1024)), 1024 * 1024);
        var all = chunk.Text.Split('\n');
        var count = all.Length > 0 && all[^1].Length == 0 ? all.Length - 1 : all.Length;
        var take = Math.Min(lines, count);
        var text = string.Join('\n', all.Skip(count - take).Take(take)) + (take > 0 ? "\n" : "");
        return new LogChunk(text, end - Encoding.UTF8.GetByteCount(text), end, chunk.Truncated);
    }

    private List<(string Path, long Start, long Length)> Segments(LogStream stream)
    {
        var live = PathOf(stream);
        var result = new List<(string, long, long)>();
        var position = ReadBase(stream);
        if (File.Exists(live))
        {
            result.Add((live, position, new FileInfo(live).Length));
        }

        for (var i = 1; i < filesKept; i++)
        {
            var info = new FileInfo($"{live}.{i}");
            if (!info.Exists)
            {
                break;
            }

            position -= info.Length;
            result.Insert(0, (info.FullName, position, info.Length));
        }

        return result;
    }

    private long ReadBase(LogStream stream)
    {
        var path = PathOf(stream) + ".offset";
        return File.Exists(path) && long.TryParse(File.ReadAllText(path), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private void WriteBase(LogStream stream, long value) =>
        File.WriteAllText(PathOf(stream) + ".offset", value.ToString(CultureInfo.InvariantCulture));

    private static void CopyBytes(Stream source, Stream target, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                break;
            }

            target.Write(buffer, 0, read);
            count -= read;
        }
    }
}
