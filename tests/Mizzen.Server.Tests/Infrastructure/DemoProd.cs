namespace Mizzen.Server.Tests.Infrastructure;

/// <summary>The demo's prod load balancer as a test sees it: where it is, and which release answers.</summary>
public sealed class DemoProd(RunningServer server, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The URL of <c>demo-prod-lb</c>, once the demo has created it.</summary>
    public Task<string> UrlAsync() =>
        Eventually.GetAsync(async () =>
        {
            var balancers = await server.GetJsonAsync("/applications/demo/loadBalancers");
            return balancers.AsArray().FirstOrDefault(lb => lb!["name"]!.GetValue<string>() == "demo-prod-lb")?["url"]?.GetValue<string>();
        }, timeout, "demo-prod-lb");

    /// <summary>Waits until every one of several answers in a row comes from <paramref name="version"/>.</summary>
    public Task AnswersAsync(string url, string version) =>
        Eventually.GetAsync(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                using var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || !body.Contains($"\"version\":\"{version}\"", StringComparison.Ordinal))
                {
                    return null;
                }
            }

            return version;
        }, timeout, $"prod ({url}) to answer {version}");

    public void Dispose() => client.Dispose();
}
