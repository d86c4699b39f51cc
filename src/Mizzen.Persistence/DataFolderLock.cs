using System.Globalization;
using System.Text;
using Mizzen.Core.Errors;

namespace Mizzen.Persistence;

/// <summary>
/// <c>&lt;data&gt;/mizzen.lock</c>, held for the server's life: one server per data folder, so a second <c>serve</c> cannot adopt the
/// first one's instances or write into its database. <c>admin migrate-store</c> takes it on the folder it copies from, so it never
/// copies a store that a running server is still changing (it lives beside the SQLite store so both can take it). The file holds the
/// holder's pid. The lock is a byte-range lock past that text (fcntl on Unix, LockFile on Windows), so the pid stays readable and the
/// operating system drops the lock when the process dies.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    public const string FileName = "mizzen.lock";

    /// <summary>The locked byte: past the pid, so readers are never blocked.</summary>
    private const long LockedOffset = 4096;

    private readonly FileStream file;

    private DataFolderLock(FileStream file, string path)
    {
        this.file = file;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Takes the lock or throws <see cref="DataFolderInUseException"/> naming the pid that holds it.</summary>
    public static DataFolderLock Acquire(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var path = System.IO.Path.Combine(dataFolder, FileName);
        if (OperatingSystem.IsMacOS())
        {
            // No byte-range locks in .NET on macOS: the whole file is locked (flock), so the holder's pid cannot be read.
            try
            {
                return Hold(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1), path);
            }
            catch (IOException)
            {
                throw new DataFolderInUseException(dataFolder, pid: null);
            }
        }

        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        try
        {
            file.Lock(LockedOffset, 1);
        }
        catch (IOException)
        {
            var holder = ReadPid(file);
            file.Dispose();
            throw new DataFolderInUseException(dataFolder, holder);
        }

        return Hold(file, path);
    }

    private static DataFolderLock Hold(FileStream file, string path)
    {

        file.SetLength(0);
        file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        file.Flush(flushToDisk: true);
        return new DataFolderLock(file, path);
    }

    private static int? ReadPid(FileStream file)
    {
        // Read through the handle already open: on Unix, closing any handle of a locked file would drop this process's locks on it.
        file.Position = 0;
        var buffer = new byte[32];
        var read = file.Read(buffer);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public void Dispose()
    {
        // Closing the file releases the lock.
        file.Dispose();
    }
}

/// <summary>Another server holds the data folder.</summary>
public sealed class DataFolderInUseException(string dataFolder, int? pid) : MizzenException(
    $"the data folder {dataFolder} is in use by another Mizzen server{(pid is null ? "" : $" (pid {pid})")}: stop it first, or give this one its own folder with --data DIR")
{
    public int? Pid { get; } = pid;
}
