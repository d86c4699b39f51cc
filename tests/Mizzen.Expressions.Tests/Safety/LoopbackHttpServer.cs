namespace Mizzen.Expressions.Tests.Safety;

/// <summary>A real HTTP/1.1 server on 127.0.0.1 (a loopback address) that answers every request with one fixed body.</summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly ScriptedHttpServer server;

    public LoopbackHttpServer(string body) => server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok(body));

    public int Port => server.Port;

    public int Requests => server.Requests.Count;

    public string? LastRequestHeaders => server.Requests.LastOrDefault();

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
