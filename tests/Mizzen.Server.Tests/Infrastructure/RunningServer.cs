using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Tests.Infrastructure;

/// <summary>
/// The real Mizzen server on 127.0.0.1 (a free port) with its own data folder. Settings go to <c>&lt;data&gt;/mizzen.json</c>;
/// instances are stopped when it is disposed, and the data folder is deleted (unless <see cref="RestartAsync"/> handed it on).
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly bool demo;
    private bool stopped;

    private RunningServer(WebApplication app, string dataFolder, bool demo, HttpClient http, RecordedLogs logs)
    {
        this.app = app;
        this.demo = demo;
        DataFolder = dataFolder;
        Http = http;
        Logs = logs;
    }

    public string DataFolder { get; }

    /// <summary>What the server logged (Information and above), from its start.</summary>
    public RecordedLogs Logs { get; }

    public HttpClient Http { get; }

    public Uri Url => Http.BaseAddress!;

    public IServiceProvider Services => app.Services;

    /// <summary>A plain server (no demo) with one <c>local</c> account.</summary>
    public static Task<RunningServer> StartAsync() => StartAsync(demo: false, [("local", "21200-21299")]);

    /// <summary>
    /// Starts a server whose accounts are <paramref name="accounts"/> (name, port range) in its own data folder; <paramref name="services"/>
    /// adds to its registrations (e.g. a second cloud provider).
    /// </summary>
    public static async Task<RunningServer> StartAsync(
        bool demo, IReadOnlyList<(string Name, string Ports)> accounts, Action<string>? prepareDataFolder = null, Action<IServiceCollection>? services = null)
    {
        var data = Directory.CreateTempSubdirectory("mizzen-server-test-").FullName;
        var settings = new JsonObject
        {
            ["Mizzen"] = new JsonObject
            {
                ["Accounts"] = new JsonArray([.. accounts.Select(a => (JsonNode)new JsonObject
                {
                    ["name"] = a.Name, ["type"] = "local", ["portRange"] = a.Ports, ["workingFolder"] = Path.Combine(data, "accounts", a.Name),
                })]),
                ["Providers"] = new JsonObject
                {
                    ["Local"] = new JsonObject { ["StopInstancesOnShutdown"] = true, ["StopGracePeriod"] = "00:00:03", ["DrainTimeout"] = "00:00:02" },
                },
            },
        };
        await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"), settings.ToJsonString());
        prepareDataFolder?.Invoke(data);
        return await LaunchAsync(data, demo, services);
    }

    /// <summary>
    /// Stops this server (its instances stop; its data folder stays) and starts a new one on the same data folder and settings, as a user
    /// restarting <c>serve</c> would. The new server owns the folder; disposing this one afterwards does nothing.
    /// </summary>
    public async Task<RunningServer> RestartAsync()
    {
        await StopAsync();
        return await LaunchAsync(DataFolder, demo);
    }

    private static async Task<RunningServer> LaunchAsync(string data, bool demo, Action<IServiceCollection>? services = null)
    {
        var app = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", demo), [], services);
        var logs = new RecordedLogs();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        return new RunningServer(app, data, demo, http, logs);
    }

    public async Task<JsonNode> GetJsonAsync(string path) =>
        JsonNode.Parse(await (await SucceedAsync(Http.GetAsync(path))).Content.ReadAsStringAsync())!;

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        await Http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task CreateApplicationAsync(string name) =>
        (await Http.PostAsJsonAsync("/applications", new { name, email = "team@example.com" })).EnsureSuccessStatusCode();

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

#pragma warning disable RS0030 // Poll interval while the real worker runs the execution (the loop waits on a condition).
            await Task.Delay(50);
#pragma warning restore RS0030
        }
    }

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        if (stopped)
        {
            return;
        }

        await StopAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A process that is still exiting may hold a file; the temp folder is cleaned by the OS.
        }
    }

    private async Task StopAsync()
    {
        stopped = true;
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task<HttpResponseMessage> SucceedAsync(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }
}
