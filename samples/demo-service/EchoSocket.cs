using System.Net.WebSockets;
using System.Text;

namespace Mizzen.Samples.DemoService;

/// <summary><c>/echo</c>: a WebSocket that answers every text message with "VERSION: message" until the client closes it.</summary>
internal static class EchoSocket
{
    public static void MapEchoSocket(this WebApplication app, DemoSettings settings)
    {
        app.UseWebSockets();
        app.Map("/echo", async (HttpContext http, CancellationToken ct) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest("/echo takes a WebSocket upgrade");
            }

            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, ct);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                    return Results.Empty;
                }

                var answer = Encoding.UTF8.GetBytes($"{settings.Version}: {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
                await socket.SendAsync(answer, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
        });
    }
}
