using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Tests.Api;

/// <summary>The real server on 127.0.0.1 (a free port), on a fresh data folder; an HttpClient pointed at it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningServer(WebApplication app, string folder, Uri address)
    {
        this.app = app;
        Folder = folder;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Folder { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<RunningServer> StartAsync(string? folder = null)
    {
        folder ??= Path.Combine(Path.GetTempPath(), "mizzen-api-" + Guid.NewGuid().ToString("N"));
        var app = MizzenServer.Build(new ServeArguments(0, folder, "127.0.0.1", Demo: false), []);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, folder, new Uri(address));
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        await Client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task CreateApplicationAsync(string name) =>
        (await Client.PostAsJsonAsync("/applications", new { name, email = "team@example.com" })).EnsureSuccessStatusCode();

    /// <summary>Polls the execution until <paramref name="done"/> holds (real time: the real worker runs it).</summary>
    public async Task<JsonNode> WaitForAsync(string executionId, Func<JsonNode, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var execution = await GetJsonAsync($"/pipelines/{executionId}");
            if (done(execution))
            {
                return execution;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"execution {executionId} did not reach the expected state: {execution.ToJsonString()}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
