using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Tests.Hosting;

/// <summary>
/// <c>Mizzen:Proxy</c>: behind a TLS-terminating proxy that is named, the client's address and scheme come from <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> (cookies become Secure, the audit log names the client); from anyone else the headers are ignored.
/// A real server on loopback; the test's own client plays the proxy.
/// </summary>
public sealed class TrustedProxiesTests : IAsyncDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-proxy-").FullName;
    private WebApplication? app;

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(data, recursive: true);
    }

    [Theory]
    [InlineData("KnownProxies", "10.0.0.300", "Mizzen:Proxy:KnownProxies:0: '10.0.0.300' is not an IP address")]
    [InlineData("KnownNetworks", "10.0.0.0/33", "Mizzen:Proxy:KnownNetworks:0: '10.0.0.0/33' is not a network in CIDR form (10.0.0.0/8)")]
    public void A_malformed_proxy_entry_stops_the_start_naming_it(string setting, string value, string message)
    {
        Settings(new JsonObject { ["Proxy"] = new JsonObject { [setting] = new JsonArray(value) } });

        Should.Throw<ProxySettingException>(() =>
        {
            using var built = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", Demo: false), []);
        }).Message.ShouldBe(message);
    }

    [Fact]
    public async Task Behind_a_named_proxy_the_forwarded_scheme_makes_cookies_secure()
    {
        Settings(new JsonObject
        {
            ["Auth"] = new JsonObject { ["Enabled"] = true },
            ["Proxy"] = new JsonObject { ["KnownProxies"] = new JsonArray("127.0.0.1") },
        });
        using var client = await StartAsync();

        var forwarded = await LoginPageCookiesAsync(client, forwardedProto: "https");
        var direct = await LoginPageCookiesAsync(client, forwardedProto: null);

        forwarded.ShouldNotBeEmpty();
        forwarded.ShouldAllBe(cookie => cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        direct.ShouldNotBeEmpty();
        direct.ShouldAllBe(cookie => !cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Forwarded_headers_from_a_caller_that_is_not_a_named_proxy_are_ignored()
    {
        Settings(new JsonObject
        {
            ["Auth"] = new JsonObject { ["Enabled"] = true },
            ["Proxy"] = new JsonObject { ["KnownNetworks"] = new JsonArray("10.0.0.0/8") },
        });
        using var client = await StartAsync();

        var cookies = await LoginPageCookiesAsync(client, forwardedProto: "https");

        cookies.ShouldNotBeEmpty();
        cookies.ShouldAllBe(cookie => !cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(true, "203.0.113.7")]
    [InlineData(false, "127.0.0.1")]
    public async Task The_audit_log_names_the_client_behind_a_named_proxy_and_the_caller_otherwise(bool proxyNamed, string recorded)
    {
        Settings(proxyNamed ? new JsonObject { ["Proxy"] = new JsonObject { ["KnownProxies"] = new JsonArray("127.0.0.1") } } : []);
        using var client = await StartAsync();

        using var refused = new HttpRequestMessage(HttpMethod.Post, "/applications") { Content = new StringContent("{not json", null, "application/json") };
        refused.Headers.Add("X-Forwarded-For", "203.0.113.7");
        refused.Headers.Add("X-Forwarded-Proto", "https");
        using (var response = await client.SendAsync(refused))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        var page = JsonNode.Parse(await client.GetStringAsync("/audit?action=http."))!;
        var entry = page["entries"]!.AsArray().Single(e => (string?)e!["target"] == "/applications")!;
        ((string?)entry["address"]).ShouldBe(recorded);
    }

    private static async Task<IReadOnlyList<string>> LoginPageCookiesAsync(HttpClient client, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/login");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            request.Headers.Add("X-Forwarded-For", "198.51.100.4");
        }

        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return response.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : [];
    }

    private void Settings(JsonObject mizzen) =>
        File.WriteAllText(Path.Combine(data, "mizzen.json"), new JsonObject { ["Mizzen"] = mizzen }.ToJsonString());

    private async Task<HttpClient> StartAsync()
    {
        app = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", Demo: false), []);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = new Uri(url) };
    }
}
