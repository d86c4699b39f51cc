using System.Text.Json;

namespace Mizzen.Samples.DemoService;

/// <summary>
/// <c>dotnet demo-service.dll smoke URL [EXPECTED_VERSION]</c>: the demo pipeline's smoke test. GETs the URL a few times and exits 0
/// when every answer is 200 with a <c>version</c> (equal to EXPECTED_VERSION when given); prints
/// <c>SPINNAKER_PROPERTY_version=…</c> so the runJob stage outputs what it saw.
/// </summary>
internal static class SmokeTest
{
    private const int Attempts = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is < 1 or > 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var url))
        {
            await Console.Error.WriteLineAsync("usage: demo-service smoke URL [EXPECTED_VERSION]");
            return 2;
        }

        var expected = args.Length == 2 ? args[1] : null;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        string? seen = null;
        for (var i = 1; i <= Attempts; i++)
        {
            try
            {
                using var response = await http.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                seen = JsonDocument.Parse(body).RootElement.GetProperty("version").GetString();
                Console.WriteLine($"smoke {i}/{Attempts}: GET {url} -> {(int)response.StatusCode} version={seen}");
                if (!response.IsSuccessStatusCode || (expected is not null && seen != expected))
                {
                    Console.WriteLine($"smoke test FAILED: expected 200{(expected is null ? "" : $" from {expected}")}");
                    return 1;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                Console.WriteLine($"smoke {i}/{Attempts}: GET {url} failed: {e.Message}");
                return 1;
            }
        }

        Console.WriteLine($"SPINNAKER_PROPERTY_version={seen}");
        Console.WriteLine("smoke test passed");
        return 0;
    }
}
