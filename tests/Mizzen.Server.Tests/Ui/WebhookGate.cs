using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Server.Tests.Ui;

/// <summary>
/// A webhook stage's target on 127.0.0.1 that the test steers: it answers every call with <see cref="Status"/>, and while
/// <see cref="Hold"/> is called it keeps calls waiting (the stage stays RUNNING) until <see cref="Release"/>. So a run fails,
/// runs or finishes exactly when the test says, with no clock involved.
/// </summary>
public sealed class WebhookGate : IAsyncDisposable
{
    private WebApplication app = null!;
    private TaskCompletionSource? held;
    private int calls;

    public string Url { get; private set; } = "";

    /// <summary>The status every call is answered with (400 makes a webhook stage TERMINAL at once; 200 succeeds).</summary>
    public int Status { get; set; } = 200;

    public int Calls => Volatile.Read(ref calls);

    public static async Task<WebhookGate> StartAsync()
    {
        var gate = new WebhookGate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        gate.app = builder.Build();
        gate.app.MapPost("/hook", gate.AnswerAsync);
        await gate.app.StartAsync();
        var port = new Uri(gate.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        gate.Url = $"http://127.0.0.1:{port}/hook";
        return gate;
    }

    /// <summary>Calls from now on wait until <see cref="Release"/>.</summary>
    public void Hold() => held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref held, null)?.TrySetResult();

    private async Task AnswerAsync(HttpContext http)
    {
        Interlocked.Increment(ref calls);
        if (held is { } waiting)
        {
            try
            {
                await waiting.Task.WaitAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        http.Response.StatusCode = Status;
        await http.Response.WriteAsJsonAsync(new { answered = Status }, http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
