using System.Globalization;

namespace Mizzen.Server.Tests.Cluster;

/// <summary>
/// Which process opened a loopback TCP connection, read from Linux's <c>/proc</c>: the connection's client-side socket
/// (local port = the peer port the server sees, remote port = the server's) names an inode, and the process holding that
/// inode among its file descriptors is the caller. Lets a test HTTP server tell which Mizzen node called it without a header
/// or hook in the product.
/// </summary>
public static class LoopbackPeer
{
    /// <summary>The pid among <paramref name="candidates"/> whose socket is the client end of 127.0.0.1:<paramref name="peerPort"/> → <paramref name="serverPort"/>.</summary>
    public static int? FindProcess(int peerPort, int serverPort, IEnumerable<int> candidates)
    {
        var inode = ClientInode(peerPort, serverPort);
        if (inode is null)
        {
            return null;
        }

        var target = $"socket:[{inode}]";
        foreach (var pid in candidates)
        {
            IEnumerable<string> descriptors;
            try
            {
                descriptors = Directory.EnumerateFiles($"/proc/{pid}/fd").ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the process is gone
            }

            foreach (var descriptor in descriptors)
            {
                string? link;
                try
                {
                    link = new FileInfo(descriptor).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // closed while we looked
                }

                if (link == target)
                {
                    return pid;
                }
            }
        }

        return null;
    }

    private static string? ClientInode(int peerPort, int serverPort)
    {
        var local = peerPort.ToString("X4", CultureInfo.InvariantCulture);
        var remote = serverPort.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[1].EndsWith(":" + local, StringComparison.Ordinal) && fields[2].EndsWith(":" + remote, StringComparison.Ordinal))
                {
                    return fields[9];
                }
            }
        }

        return null;
    }
}
