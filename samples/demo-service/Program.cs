using Mizzen.Samples.DemoService;

// Mizzen's demo service. Environment: PORT (listen port, default 8080), VERSION (reported by GET /),
// FAULT_RATE (0..1 fraction of GET / answering 500), EXTRA_LATENCY_MS (added to every GET /). /echo is a WebSocket echo.
// `demo-service smoke URL [VERSION]` is the demo pipeline's smoke test instead (see SmokeTest).
if (args is ["smoke", .. var smokeArgs])
{
    return await SmokeTest.RunAsync(smokeArgs);
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var port = Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } p ? p : "8080";
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

var settings = DemoSettings.FromEnvironment();
var counters = new RequestCounters();
var app = builder.Build();

app.MapGet("/", async (HttpContext http, CancellationToken ct) =>
{
    var delay = settings.ExtraLatencyMs + (int.TryParse(http.Request.Query["delayMs"], out var extra) ? extra : 0);
    if (delay > 0)
    {
        await Task.Delay(delay, ct);
    }

    var failed = settings.FaultRate > 0 && Random.Shared.NextDouble() < settings.FaultRate;
    counters.Record(failed ? 500 : 200);
    if (failed)
    {
        await Console.Error.WriteLineAsync($"{DateTimeOffset.UtcNow:O} injected fault: GET / answered 500");
    }

    var body = new DemoAnswer(settings.Version, settings.InstanceId, failed ? "injected fault" : "ok");
    return failed
        ? Results.Json(body, DemoJsonContext.Default.DemoAnswer, statusCode: 500)
        : Results.Json(body, DemoJsonContext.Default.DemoAnswer);
});

app.MapGet("/health", () => Results.Text("ok"));
app.MapEchoSocket(settings);
app.MapGet("/metrics", () => Results.Text(counters.ToPrometheusText(settings.Version), "text/plain; version=0.0.4"));

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"demo-service {settings.Version} ({settings.InstanceId}) listening on port {port}, fault rate {settings.FaultRate}, extra latency {settings.ExtraLatencyMs} ms"));
await app.RunAsync();
return 0;
