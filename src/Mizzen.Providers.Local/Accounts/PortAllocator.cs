using System.Net;
using System.Net.Sockets;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Accounts;

/// <summary>Hands out ports of an account's range that no record holds and that nothing on the host listens on.</summary>
internal sealed class PortAllocator(string account, PortRange range)
{
    private readonly Lock gate = new();
    private readonly HashSet<int> reserved = [];
    private int cursor;

    public void Reserve(int port)
    {
        lock (gate)
        {
            reserved.Add(port);
        }
    }

    public void Release(int port)
    {
        lock (gate)
        {
            reserved.Remove(port);
        }
    }

    public int Allocate()
    {
        lock (gate)
        {
            for (var i = 0; i < range.Count; i++)
            {
                var port = range.First + ((cursor + i) % range.Count);
                if (!reserved.Contains(port) && IsFree(port))
                {
                    cursor = (cursor + i + 1) % range.Count;
                    reserved.Add(port);
                    return port;
                }
            }
        }

        throw new ConflictException($"Account '{account}' has no free port left in its range {range}; widen portRange or destroy unused server groups");
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
