using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mizzen.Expressions.Tests.Safety;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 whose answer is chosen per request: a raw response, or null to hold the
/// connection open without ever answering. Every request's head is recorded, and <see cref="FirstRequest"/> completes
/// when the first one has arrived, so a test can act at that moment without sleeping.
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> requests = new();
    private readonly ConcurrentBag<TcpClient> held = [];
    private readonly TaskCompletionSource firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, string?> respond;
    private readonly Task serving;

    public ScriptedHttpServer(Func<string, string?> respond)
    {
        this.respond = respond;
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyCollection<string> Requests => requests;

    public Task FirstRequest => firstRequest.Task;

    public static string Ok(string body, string contentType = "text/plain")
    {
        var length = Encoding.UTF8.GetByteCount(body);
        return $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{body}";
    }

    public static string Redirect(string location) =>
        $"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    public static string Status(int code, string reason) =>
        $"HTTP/1.1 {code} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            try
            {
                await AnswerAsync(client);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                client.Dispose();
            }
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var buffer = new byte[8192];
        var head = new StringBuilder();
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, stop.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        requests.Enqueue(head.ToString());
        firstRequest.TrySetResult();
        var response = respond(head.ToString());
        if (response is null)
        {
            held.Add(client);
            return;
        }

        using (client)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(response), stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await serving;
        foreach (var client in held)
        {
            client.Dispose();
        }

        stop.Dispose();
    }
}
