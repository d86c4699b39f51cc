using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 that answers every request with <paramref name="body"/>, but only once the test
/// opens the gate (<see cref="Release"/>). <see cref="RequestArrived"/> completes when the first request is in, so a
/// test knows a caller is now blocked on it without sleeping.
/// </summary>
internal sealed class GatedHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource requestArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string body;
    private readonly Task serving;
    private int requests;

    public GatedHttpServer(string body)
    {
        this.body = body;
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}{path}";

    public Task RequestArrived => requestArrived.Task;

    public int Requests => Volatile.Read(ref requests);

    public void Release() => gate.TrySetResult();

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

            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var head = new StringBuilder();
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                Interlocked.Increment(ref requests);
                requestArrived.TrySetResult();
                await gate.Task.WaitAsync(stop.Token);
                var length = Encoding.UTF8.GetByteCount(body);
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The caller went away or the server is stopping.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await serving;
        stop.Dispose();
    }
}
