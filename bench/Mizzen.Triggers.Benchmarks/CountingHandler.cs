namespace Mizzen.Triggers.Benchmarks;

/// <summary>Counts the requests the docker poller sends, by method, on their way to the registry.</summary>
public sealed class RequestCount
{
    private int gets;
    private int heads;

    public int Gets => gets;

    public int Heads => heads;

    public (int Gets, int Heads) Take()
    {
        var taken = (Interlocked.Exchange(ref gets, 0), Interlocked.Exchange(ref heads, 0));
        return taken;
    }

    public void Add(HttpMethod method)
    {
        if (method == HttpMethod.Head)
        {
            Interlocked.Increment(ref heads);
        }
        else
        {
            Interlocked.Increment(ref gets);
        }
    }
}

public sealed class CountingHandler(RequestCount count) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        count.Add(request.Method);
        return base.SendAsync(request, cancellationToken);
    }
}
