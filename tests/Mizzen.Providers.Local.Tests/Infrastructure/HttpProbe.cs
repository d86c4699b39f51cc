using System.Text.Json;

namespace Mizzen.Providers.Local.Tests.Infrastructure;

public static class HttpProbe
{
    public static HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(10) })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    public static async Task<(int Status, string Version)> GetVersionAsync(Uri url)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        return ((int)response.StatusCode, json.RootElement.GetProperty("version").GetString()!);
    }
}
