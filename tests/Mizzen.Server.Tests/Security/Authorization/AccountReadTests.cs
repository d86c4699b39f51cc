using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Tests.Clusters;

namespace Mizzen.Server.Tests.Security.Authorization;

/// <summary>
/// Fiat's READ on accounts, on the real server with authentication on and real local deploys: application <c>ledger</c> (open to everyone)
/// runs <c>ledger-web-v000</c> in account <c>staging</c> (no permissions: every signed-in user) and in <c>prod</c> (READ for roles
/// <c>sre</c> and <c>observers</c>, WRITE for <c>sre</c>). A viewer sees staging only, in every listing and page, and is refused prod's
/// cluster, server group, instance and logs; an observer sees prod without its actions; an sre sees and acts on both.
/// </summary>
public sealed class AccountReadTests(AccountReadServer ledger) : IClassFixture<AccountReadServer>
{
    [Theory]
    [InlineData("viewer", new[] { "staging" })]
    [InlineData("observer", new[] { "prod", "staging" })]
    [InlineData("sre", new[] { "prod", "staging" })]
    [InlineData("admin", new[] { "prod", "staging" })]
    public async Task Listings_show_only_the_accounts_the_caller_may_read(string identity, string[] accounts)
    {
        var groups = (await ledger.OkAsync(identity, "/applications/ledger/serverGroups")).AsArray();
        var clusters = (await ledger.OkAsync(identity, "/applications/ledger/clusters")).AsObject();
        var balancers = (await ledger.OkAsync(identity, "/applications/ledger/loadBalancers")).AsArray();

        groups.Select(g => g!["account"]!.GetValue<string>()).Distinct().Order().ShouldBe(accounts);
        groups.ShouldAllBe(g => g!["name"]!.GetValue<string>() == "ledger-web-v000");
        clusters.Select(c => c.Key).Order().ShouldBe(accounts);
        clusters.ShouldAllBe(c => c.Value!.AsArray().Single()!.GetValue<string>() == "ledger-web");
        balancers.Select(lb => lb!["account"]!.GetValue<string>()).Order().ShouldBe(accounts);
    }

    [Fact]
    public async Task A_viewer_is_refused_prods_cluster_server_group_instance_and_logs_and_reads_stagings()
    {
        var prod = await ledger.InstanceOfAsync("prod");
        var staging = await ledger.InstanceOfAsync("staging");
        string[] Reads(string account, string instance) =>
        [
            $"/applications/ledger/clusters/{account}/ledger-web",
            $"/applications/ledger/serverGroups/{account}/ledger-web-v000",
            $"/applications/ledger/serverGroups/{account}/{account}/ledger-web-v000",
            $"/instances/{account}/{instance}",
            $"/instances/{account}/{account}/{instance}",
            $"/instances/{account}/{instance}/logs?tail=5",
            $"/instances/{instance}/logs?tail=5",
            $"/ui/instances/{account}/{instance}/logs",
            $"/ui/applications/ledger/serverGroups/{account}/ledger-web-v000/resize",
        ];

        foreach (var path in Reads("prod", prod))
        {
            var (status, body) = await ledger.SendAsync("viewer", HttpMethod.Get, path);
            status.ShouldBe(403, path);
            body!["detail"]!.GetValue<string>().ShouldBe("'viewer' lacks READ on account 'prod'", path);
        }

        foreach (var path in Reads("staging", staging))
        {
            (await ledger.SendAsync("viewer", HttpMethod.Get, path)).Status.ShouldBe(200, path);
        }

        foreach (var path in Reads("prod", prod))
        {
            (await ledger.SendAsync("sre", HttpMethod.Get, path)).Status.ShouldBe(200, path);
        }

        var group = await ledger.OkAsync("sre", "/applications/ledger/serverGroups/prod/ledger-web-v000");
        (group["account"]!.GetValue<string>(), group["cluster"]!.GetValue<string>(), group["instances"]!.AsArray().Single()!["id"]!.GetValue<string>())
            .ShouldBe(("prod", "ledger-web", prod));
        (await ledger.OkAsync("sre", $"/instances/{prod}/logs?tail=5"))["text"]!.GetValue<string>().ShouldContain("started v1");
        (await ledger.SendAsync("sre", HttpMethod.Get, "/applications/ledger/serverGroups/prod/elsewhere/ledger-web-v000")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Operations_on_prods_server_groups_need_write_on_prod_whatever_the_caller_may_read()
    {
        var resize = new JsonObject { ["capacity"] = new JsonObject { ["desired"] = 1 } }.ToJsonString();
        foreach (var identity in new[] { "viewer", "observer" })
        {
            foreach (var (method, path) in new[]
                     {
                         ("POST", "/applications/ledger/serverGroups/prod/ledger-web-v000/resize"),
                         ("POST", "/applications/ledger/serverGroups/prod/ledger-web-v000/disable"),
                         ("POST", "/applications/ledger/serverGroups/prod/ledger-web-v000/enable"),
                         ("DELETE", "/applications/ledger/serverGroups/prod/ledger-web-v000"),
                         ("POST", "/applications/ledger/clusters/prod/ledger-web/rollback"),
                     })
            {
                var (status, body) = await ledger.SendAsync(identity, new HttpMethod(method), path, method == "POST" ? resize : null);
                status.ShouldBe(403, $"{identity} {method} {path}");
                body!["detail"]!.GetValue<string>().ShouldBe($"'{identity}' lacks WRITE on account 'prod'", $"{method} {path}");
            }
        }

        var (accepted, started) = await ledger.SendAsync("sre", HttpMethod.Post, "/applications/ledger/serverGroups/prod/ledger-web-v000/resize", resize);
        accepted.ShouldBe(202, started?.ToJsonString());
        await ledger.Shop.WaitForTaskAsync(started!["ref"]!.GetValue<string>().Split('/')[^1], "SUCCEEDED");
    }

    [Fact]
    public async Task The_cluster_pages_show_readable_accounts_only_and_offer_actions_only_with_write_on_the_account()
    {
        var viewer = await ledger.PageAsync("viewer", "/ui/applications/ledger/clusters");
        var observer = await ledger.PageAsync("observer", "/ui/applications/ledger/clusters");
        var sre = await ledger.PageAsync("sre", "/ui/applications/ledger/clusters");
        var viewerBalancers = await ledger.PageAsync("viewer", "/ui/applications/ledger/loadbalancers?refresh=off");
        var sreBalancers = await ledger.PageAsync("sre", "/ui/applications/ledger/loadbalancers?refresh=off");

        viewer.ShouldContain("Account staging");
        viewer.ShouldNotContain("Account prod");
        viewer.ShouldNotContain("/prod/");
        viewer.ShouldContain("/ui/applications/ledger/serverGroups/staging/ledger-web-v000/resize");
        observer.ShouldContain("Account prod");
        observer.ShouldContain("View only: 'observer' lacks WRITE on account 'prod'");
        observer.ShouldNotContain("/ui/applications/ledger/serverGroups/prod/");
        observer.ShouldContain("/ui/applications/ledger/serverGroups/staging/ledger-web-v000/resize");
        sre.ShouldContain("/ui/applications/ledger/serverGroups/prod/ledger-web-v000/resize");
        sre.ShouldNotContain("View only");
        viewerBalancers.ShouldContain("<dd>staging</dd>");
        viewerBalancers.ShouldNotContain("<dd>prod</dd>");
        sreBalancers.ShouldContain("<dd>prod</dd>");
    }
}

/// <summary>
/// The real server of <see cref="AccountReadTests"/>: authentication on, file-configured users with one API token each, local accounts
/// <c>staging</c> and <c>prod</c> (prod restricted), and application <c>ledger</c> deployed to both by the admin (real processes).
/// </summary>
public sealed class AccountReadServer : IAsyncLifetime
{
    private static readonly Dictionary<string, string[]> UserRoles = new()
    {
        ["viewer"] = ["viewers"],
        ["observer"] = ["observers"],
        ["sre"] = ["sre"],
        ["admin"] = ["admins"],
    };

    private readonly Dictionary<string, string> tokens = [];

    public ShopCluster Shop { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Shop = await ShopCluster.StartAsync([("staging", "26810-26829"), ("prod", "26830-26849")], services: null, data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var mizzen = settings["Mizzen"]!.AsObject();
            mizzen["Accounts"]![1]!["permissions"] = new JsonObject { ["READ"] = new JsonArray("sre", "observers"), ["WRITE"] = new JsonArray("sre") };
            mizzen["Auth"] = new JsonObject
            {
                ["Enabled"] = true,
                ["AdminRoles"] = new JsonArray("admins"),
                ["Users"] = new JsonObject(UserRoles.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)new JsonObject
                {
                    ["Roles"] = new JsonArray([.. u.Value.Select(r => (JsonNode)r)]),
                }))),
            };
            File.WriteAllText(path, settings.ToJsonString());
        });
        var apiTokens = Shop.Server.Services.GetRequiredService<ApiTokens>();
        foreach (var user in UserRoles.Keys)
        {
            tokens[user] = (await apiTokens.CreateAsync(user, $"account-read-{user}", null, "full", CancellationToken.None)).Secret;
        }

        // The shop cluster's helpers deploy and wait as the admin; each test names its caller on every request.
        Shop.Server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["admin"]);
        (await Shop.Server.SendAsync(HttpMethod.Post, "/applications", new JsonObject { ["name"] = "ledger", ["email"] = "ledger@example.com" })).Status.ShouldBe(200);
        foreach (var account in new[] { "staging", "prod" })
        {
            await Shop.WaitForTaskAsync(await Shop.StartTaskAsync(new JsonObject
            {
                ["application"] = "ledger",
                ["job"] = new JsonArray(new JsonObject { ["type"] = "upsertLoadBalancer", ["loadBalancerName"] = "ledger-lb", ["account"] = account, ["cloudProvider"] = "local" }),
            }), "SUCCEEDED");
            await Shop.DeployAsync("web", "v1", "ledger", account, instances: 1);
        }
    }

    /// <summary>The id of ledger-web-v000's one instance in <paramref name="account"/>, as the admin reads it.</summary>
    public async Task<string> InstanceOfAsync(string account) =>
        (await OkAsync("admin", "/applications/ledger/serverGroups")).AsArray()
            .Single(g => g!["account"]!.GetValue<string>() == account)!["instances"]!.AsArray().Single()!["id"]!.GetValue<string>();

    /// <summary>Sends as <paramref name="identity"/>; the status and the body's JSON (null for a page).</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(string identity, HttpMethod method, string path, string? json = null)
    {
        var (status, text) = await SendTextAsync(identity, method, path, json);
        try
        {
            return (status, text.Length == 0 ? null : JsonNode.Parse(text));
        }
        catch (System.Text.Json.JsonException)
        {
            return (status, null);
        }
    }

    public async Task<JsonNode> OkAsync(string identity, string path)
    {
        var (status, body) = await SendAsync(identity, HttpMethod.Get, path);
        status.ShouldBe(200, $"GET {path} as {identity}: {body?.ToJsonString()}");
        return body!;
    }

    /// <summary>A UI page as <paramref name="identity"/> renders it on the server, HTML-decoded.</summary>
    public async Task<string> PageAsync(string identity, string path)
    {
        var (status, text) = await SendTextAsync(identity, HttpMethod.Get, path, null);
        status.ShouldBe(200, $"{path} as {identity}");
        return System.Net.WebUtility.HtmlDecode(text);
    }

    public async Task DisposeAsync() => await Shop.DisposeAsync();

    private async Task<(int Status, string Text)> SendTextAsync(string identity, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[identity]);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await Shop.Server.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
