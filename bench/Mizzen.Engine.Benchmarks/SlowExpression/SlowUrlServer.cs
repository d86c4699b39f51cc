using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Engine.Benchmarks.SlowExpression;

/// <summary>Kestrel on 127.0.0.1: <c>GET /slow</c> answers "v1" after <paramref name="delay"/>; counts requests in progress.</summary>
internal sealed class SlowUrlServer(WebApplication app) : IAsyncDisposable
{
    private static int inFlight;
    private static int answered;

    public static int InFlight => Volatile.Read(ref inFlight);

    public static int Answered => Volatile.Read(ref answered);

    public string Url => app.Urls.First().TrimEnd('/') + "/slow";

    public static async Task<SlowUrlServer> StartAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/slow", async (HttpContext http) =>
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                await Task.Delay(delay, http.RequestAborted);
                Interlocked.Increment(ref answered);
                return "v1";
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        await app.StartAsync(cancellationToken);
        return new SlowUrlServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
