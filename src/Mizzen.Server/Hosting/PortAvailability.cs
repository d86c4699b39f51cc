using System.Net;
using System.Net.Sockets;

namespace Mizzen.Server.Hosting;

/// <summary>
/// Whether <c>serve</c>'s port is free, asked before the server starts: Kestrel only finds out after the hosted services have started,
/// and then fails with a stack trace. (A port taken between this check and Kestrel's bind is still reported in one line by Program.)
/// </summary>
public static class PortAvailability
{
    public static bool IsFree(ServeArguments arguments)
    {
        if (arguments.Port == 0)
        {
            return true;
        }

        var address = arguments.Bind == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(arguments.Bind, out var parsed) ? parsed : null;
        if (address is null)
        {
            return true; // a host name: Kestrel resolves it and reports what it finds
        }

        try
        {
            var listener = new TcpListener(address, arguments.Port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    public static string InUseMessage(ServeArguments arguments) =>
        $"port {arguments.Port} on {arguments.Bind} is already in use (another Mizzen server?): stop what listens there, or start this one with --port N";
}
