using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Hosting;
using Mizzen.Testing.Ldap;

namespace Mizzen.Server.Benchmarks.Auth;

/// <summary>
/// Issue 13: an LDAP login (<c>POST /auth/login</c>, search-then-bind and the group search, then the session cookie), p50/p95/max over
/// <c>--logins</c> logins by 20 users in turn, on the real server against a real OpenLDAP (Debian's slapd, started on a free port as the
/// tests do). Goal: p95 ≤ 100 ms. The throttle never engages: every login is right.
/// </summary>
internal static class LdapLoginBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var logins = args.SkipWhile(a => a != "--logins").Skip(1).Select(int.Parse).FirstOrDefault(300);
        var users = Enumerable.Range(1, 20).Select(i => $"user{i:D2}").ToList();
        await using var slapd = await SlapdProcess.StartAsync(
            string.Concat(users.Select(u => SlapdProcess.Person(u, u + "-pw"))) + SlapdProcess.Group("deployers", [.. users]));
        var data = Directory.CreateTempSubdirectory("mizzen-ldap-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"), new JsonObject
        {
            ["Mizzen"] = new JsonObject
            {
                ["Auth"] = new JsonObject
                {
                    ["Ldap"] = new JsonObject
                    {
                        ["Url"] = slapd.Url, ["ManagerDn"] = SlapdProcess.AdminDn, ["ManagerPassword"] = SlapdProcess.AdminPassword,
                        ["UserSearchBase"] = SlapdProcess.People, ["UserSearchFilter"] = "(uid={0})",
                        ["GroupSearchBase"] = SlapdProcess.Groups, ["GroupSearchFilter"] = "(member={0})",
                    },
                },
            },
        }.ToJsonString());

        await using var app = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", false), []);
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        for (var i = 0; i < 20; i++)
        {
            await LoginAsync(url, users[i % users.Count]); // warm-up: JIT, connection set-up
        }

        var times = new List<double>(logins);
        for (var i = 0; i < logins; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await LoginAsync(url, users[i % users.Count]);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        Console.WriteLine($"LDAP login (POST /auth/login, search-then-bind + groups) x{logins}: p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, max {times[^1]:F1} ms");
        await SignedInRequestsAsync(url, users[0], logins);
        await app.StopAsync();
        Directory.Delete(data, recursive: true);
        return 0;
    }

    /// <summary>
    /// What a signed-in request costs with the session kept on the server (one store read of <c>auth-sessions</c> per request) beside the
    /// same request with an API token of the same user (one store read of the token), in the same run: <c>GET /auth/user</c>, alternating.
    /// </summary>
    private static async Task SignedInRequestsAsync(Uri url, string user, int calls)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = true }) { BaseAddress = url };
        (await browser.PostAsJsonAsync("/auth/login", new { username = user, password = user + "-pw" })).EnsureSuccessStatusCode();
        using var script = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = url };
        var created = await (await script.PostAsJsonAsync("/auth/login?as=token", new { username = user, password = user + "-pw" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        script.DefaultRequestHeaders.Authorization = new("Bearer", created!["token"]!.GetValue<string>());

        var cookie = new List<double>(calls);
        var token = new List<double>(calls);
        for (var i = 0; i < calls + 20; i++)
        {
            foreach (var (client, into) in new[] { (browser, cookie), (script, token) })
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync("/auth/user");
                var body = await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
                if (!body.Contains(user, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"GET /auth/user did not name {user}: {body}");
                }

                if (i >= 20)
                {
                    into.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }

        foreach (var (name, times) in new[] { ("session cookie", cookie), ("API token", token) })
        {
            times.Sort();
            double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
            Console.WriteLine($"GET /auth/user with {name} x{calls}: p50 {P(0.50):F2} ms, p95 {P(0.95):F2} ms, max {times[^1]:F2} ms");
        }
    }

    /// <summary>A login from a fresh client (a new cookie jar, as a new browser), which must answer 200 with a session cookie.</summary>
    private static async Task LoginAsync(Uri url, string user)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = true }) { BaseAddress = url };
        using var response = await client.PostAsJsonAsync("/auth/login", new { username = user, password = user + "-pw" });
        if (!response.IsSuccessStatusCode || !response.Headers.Contains("Set-Cookie"))
        {
            throw new InvalidOperationException($"login of {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
