using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Tests.Security.Authorization;

/// <summary>
/// Every route of the real server (read from its <see cref="EndpointDataSource"/>, so a new route fails here until it has a decision),
/// called as anonymous, a read-only token, a read-only role, a viewer, an executor, a writer and an admin, against a restricted
/// application <c>shop</c> and a restricted account <c>prod</c>. Each answer is checked against this test's own expectation for the
/// route: 401 for anonymous on a route that is not public, a 403 naming the missing authorization when the identity lacks it, and
/// otherwise an answer past the permission check (2xx, or a 4xx about the input or a missing thing) — never a 5xx.
/// </summary>
public sealed class RouteMatrixTests : IAsyncLifetime
{
    /// <summary>From least to most privileged, so what the privileged ones delete was already checked for the others.</summary>
    private static readonly string[] Identities = ["anonymous", "readonly", "auditor", "viewer", "executor", "writer", "admin"];

    /// <summary>
    /// What each route needs, written independently of the server's table: <c>public</c>, <c>signed</c> (any signed-in caller, read-only
    /// ones for GET only), <c>signed-nochange</c> (read-only callers too), or <c>app:R|X|W</c> / <c>acct:R|W</c> on shop / prod, joined by +.
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GET /health/live"] = "public",
        ["GET /health/ready"] = "public",
        ["GET /metrics"] = "signed",
        ["GET /applications"] = "signed",
        ["GET /applications/{app}"] = "app:R",
        ["POST /applications"] = "app:W",
        ["DELETE /applications/{app}"] = "app:W",
        ["GET /applications/{app}/pipelineConfigs"] = "app:R",
        ["GET /applications/{app}/pipelineConfigs/{name}"] = "app:R",
        ["GET /pipelineConfigs/{id}"] = "app:R",
        ["POST /pipelines"] = "app:W",
        ["POST /pipelines/validate"] = "signed-nochange",
        ["DELETE /pipelines/{app}/{name}"] = "app:W",
        ["GET /pipelineConfigs/{id}/history"] = "app:R",
        ["GET /pipelineConfigs/{id}/history/{revision:int}"] = "app:R",
        ["GET /pipelineConfigs/{id}/diff"] = "app:R",
        ["GET /pipelines/{app}/{name}/triggers"] = "app:R",
        ["POST /pipelines/{app}/{nameOrId}"] = "app:X",
        ["GET /pipelines/{id}"] = "app:R",
        ["GET /applications/{app}/pipelines"] = "app:R",
        ["PUT /pipelines/{id}/cancel"] = "app:X",
        ["PUT /pipelines/{id}/pause"] = "app:X",
        ["PUT /pipelines/{id}/resume"] = "app:X",
        ["PATCH /pipelines/{id}/stages/{stageId}"] = "app:X",
        ["PUT /pipelines/{id}/stages/{stageId}/restart"] = "app:X",
        ["GET /pipelines/{id}/evaluateExpression"] = "app:R",
        ["GET /pipelines/{id}/{stageId}/evaluateExpression"] = "app:R",
        ["GET /pipelines/{id}/events"] = "app:R",
        ["GET /applications/{app}/executions/events"] = "app:R",
        ["POST /tasks"] = "app:X",
        ["GET /applications/{app}/tasks"] = "app:R",
        ["GET /tasks/{id}"] = "app:R",
        ["GET /applications/{app}/serverGroups"] = "app:R",
        ["GET /applications/{app}/serverGroups/{account}/{serverGroup}"] = "app:R+acct:R",
        ["GET /applications/{app}/serverGroups/{account}/{region}/{serverGroup}"] = "app:R+acct:R",
        ["GET /applications/{app}/clusters"] = "app:R",
        ["GET /applications/{app}/clusters/{account}/{cluster}"] = "app:R+acct:R",
        ["GET /applications/{app}/loadBalancers"] = "app:R",
        ["POST /applications/{app}/serverGroups/{account}/{serverGroup}/resize"] = "app:X+acct:W",
        ["POST /applications/{app}/serverGroups/{account}/{serverGroup}/enable"] = "app:X+acct:W",
        ["POST /applications/{app}/serverGroups/{account}/{serverGroup}/disable"] = "app:X+acct:W",
        ["DELETE /applications/{app}/serverGroups/{account}/{serverGroup}"] = "app:X+acct:W",
        ["POST /applications/{app}/clusters/{account}/{cluster}/rollback"] = "app:X+acct:W",
        ["GET /instances/{instanceId}/logs"] = "signed",
        ["GET /instances/{account}/{instanceId}"] = "acct:R",
        ["GET /instances/{account}/{region}/{instanceId}"] = "acct:R",
        ["GET /instances/{account}/{instanceId}/logs"] = "acct:R",
        ["GET /v2/canaries/canaryConfig"] = "app:R",
        ["GET /v2/canaryConfig"] = "app:R",
        ["POST /v2/canaries/canaryConfig"] = "app:W",
        ["POST /v2/canaryConfig"] = "app:W",
        ["GET /v2/canaries/canaryConfig/{id}"] = "app:R",
        ["GET /v2/canaryConfig/{id}"] = "app:R",
        ["PUT /v2/canaries/canaryConfig/{id}"] = "app:W",
        ["PUT /v2/canaryConfig/{id}"] = "app:W",
        ["DELETE /v2/canaries/canaryConfig/{id}"] = "app:W",
        ["DELETE /v2/canaryConfig/{id}"] = "app:W",
        ["GET /v2/canaries/canaryConfig/{id}/history"] = "app:R",
        ["GET /v2/canaryConfig/{id}/history"] = "app:R",
        ["POST /v2/canaries/canaryConfig/{id}/dryRun"] = "app:X",
        ["POST /v2/canaryConfig/{id}/dryRun"] = "app:X",
        ["POST /v2/canaries/canary/{configId}"] = "app:X",
        ["GET /v2/canaries/canary/{configId}/{canaryExecutionId}"] = "app:R",
        ["GET /v2/canaries/canary/{canaryExecutionId}"] = "app:R",
        ["POST /webhooks/webhook/{source}"] = "public",
        ["POST /webhooks/git/{source}"] = "public",
        ["GET /pubsub/subscriptions"] = "signed",
        ["GET /artifacts/credentials"] = "signed",
        ["GET /auth/user"] = "public",
        ["POST /auth/tokens"] = "route-decides",
        ["GET /auth/tokens"] = "signed",
        ["DELETE /auth/tokens/{id}"] = "route-decides",
        ["POST /auth/login"] = "public",
        ["GET /auth/oidc/login"] = "public", // 409 here (no provider configured); OidcLoginTests signs in through it
        ["POST /auth/logout"] = "public", // signing out when not signed in changes nothing
        ["GET /ui/login"] = "public",
        ["GET /webhooks/preconfigured"] = "signed",
        ["GET /audit"] = "admin",
        ["GET /ui/audit"] = "signed-nochange+admin",
        ["GET /"] = "signed-nochange",
        ["GET /ui/applications/{App}"] = "signed-nochange+app:R",
        ["GET /ui/applications/{App}/clusters"] = "signed-nochange+app:R",
        ["GET /ui/applications/{App}/executions"] = "signed-nochange+app:R",
        ["GET /ui/applications/{App}/loadbalancers"] = "signed-nochange+app:R",
        ["GET /ui/applications/{App}/serverGroups/{Account}/{Target}/{Action}"] = "signed-nochange+app:R+acct:R",
        ["GET /ui/applications/{App}/clusters/{Account}/{Target}/rollback"] = "signed-nochange+app:R+acct:R",
        ["GET /ui/canary-configs"] = "signed-nochange",
        ["GET /ui/canary-configs/new"] = "signed-nochange",
        ["GET /ui/canary-configs/{Id}"] = "signed-nochange+app:R",
        ["GET /ui/canary-configs/{Id}/dry-run"] = "signed-nochange+app:R",
        ["GET /ui/canary/{CanaryExecutionId}"] = "signed-nochange+app:R",
        ["GET /ui/executions/{Id}"] = "signed-nochange+app:R",
        ["GET /ui/instances/{Account}/{Id}/logs"] = "signed-nochange+acct:R",
        ["GET /ui/not-found"] = "signed-nochange",
        ["GET /ui/pipelines/{Id}/config"] = "signed-nochange+app:R",
        ["GET /ui/pipelines/{Id}/triggers"] = "signed-nochange+app:R",
        ["GET /ui/{*Rest}"] = "signed-nochange",
    };

    /// <summary>Who holds what on shop and prod (admin: everything), as SecuredServer configures them.</summary>
    private static readonly Dictionary<string, string> Holds = new()
    {
        ["viewer"] = "app:R acct:R",
        ["executor"] = "app:R app:X acct:R",
        ["writer"] = "app:R app:X app:W acct:R acct:W",
        ["auditor"] = "app:R app:X app:W acct:R acct:W",
        ["readonly"] = "app:R app:X app:W acct:R acct:W",
        ["admin"] = "app:R app:X app:W acct:R acct:W",
        ["anonymous"] = "",
    };

    /// <summary>Who is an admin: only the admin (the read-only token is the writer's).</summary>
    private static readonly HashSet<string> Admins = ["admin"];

    private SecuredServer secured = null!;
    private MatrixFixtures fixtures = null!;

    public async Task InitializeAsync()
    {
        secured = await SecuredServer.StartAsync();
        fixtures = await MatrixFixtures.CreateAsync(secured);
    }

    public async Task DisposeAsync() => await secured.DisposeAsync();

    [Fact]
    public async Task Every_route_answers_each_identity_as_its_permission_says()
    {
        var endpoints = secured.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var undecided = endpoints.Where(e => PermissionRouteTable.For(e).Count == 0).Select(e => e.DisplayName).ToList();
        undecided.ShouldBeEmpty("routes without a permission rule (add them to PermissionRouteTable)");

        var failures = new List<string>();
        var called = 0;
        foreach (var (method, pattern, endpoint) in Routes(endpoints))
        {
            var key = $"{method} {pattern}";
            if (IsAsset(endpoint, pattern))
            {
                continue; // static files: checked below, one of them, as public
            }

            if (!Expected.TryGetValue(key, out var expected))
            {
                failures.Add($"{key}: the route has no expectation in this test (add one)");
                continue;
            }

            foreach (var identity in Identities)
            {
                var path = fixtures.Path(method, pattern);
                var (status, body) = await secured.SendAsync(identity, new HttpMethod(method), path, fixtures.Body(method, pattern));
                called++;
                var application = path.StartsWith("/applications/doomed", StringComparison.Ordinal) ? "doomed" : "shop";
                if (Check(expected, identity, method, status, (body as System.Text.Json.Nodes.JsonObject)?["detail"]?.ToString(), application) is { } wrong)
                {
                    failures.Add($"{key} as {identity} ({method} {path}): {wrong}");
                }
            }
        }

        var asset = endpoints.First(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null);
        (await secured.SendAsync("anonymous", HttpMethod.Get, PermissionRouteTable.Pattern(asset))).Status.ShouldBe(200);
        called.ShouldBeGreaterThan(Expected.Count * Identities.Length / 2);
        failures.ShouldBeEmpty(string.Join("\n", failures));
    }

    [Fact]
    public async Task Webhooks_answer_callers_that_are_not_signed_in_and_metrics_do_not()
    {
        // Webhooks carry their own secret (git signatures) and their runs are authorized as the trigger's runAsUser or anonymous;
        // the sign-in requirement leaves open what the permission table calls public. /metrics names applications: it takes a token.
        (await secured.SendAsync("anonymous", HttpMethod.Get, "/metrics")).Status.ShouldBe(401);
        foreach (var (method, path) in new[] { ("POST", "/webhooks/webhook/matrix"), ("POST", "/webhooks/git/github") })
        {
            var (status, body) = await secured.SendAsync("anonymous", new HttpMethod(method), path, method == "POST" ? "{}" : null);
            status.ShouldNotBe(401, $"{method} {path}: {body?.ToJsonString()}");
            status.ShouldBeLessThan(500);
        }
    }

    /// <summary>Null when the answer is right; otherwise what is wrong with it.</summary>
    private static string? Check(string expected, string identity, string method, int status, string? detail, string application)
    {
        if (status >= 500)
        {
            return $"answered {status}: {detail}";
        }

        var parts = expected.Split('+');
        var isPublic = parts.All(p => p == "public");
        var gateDenied = status == 403 && detail is not null && (detail.Contains(" lacks ", StringComparison.Ordinal) || detail.Contains("read-only", StringComparison.Ordinal) || detail.Contains("is not an admin", StringComparison.Ordinal));
        if (isPublic)
        {
            return status == 401 || gateDenied ? $"a public route answered {status}: {detail}" : null;
        }

        if (identity == "anonymous")
        {
            return status == 401 ? null : $"expected 401 for anonymous, got {status}";
        }

        if (parts.Contains("route-decides"))
        {
            // Authentication's own routes: the gate lets every signed-in caller through and the route answers (its 403s are its own).
            return detail is not null && (detail.Contains(" lacks ", StringComparison.Ordinal) || detail.Contains("may list and watch", StringComparison.Ordinal))
                ? $"the permission gate refused it: {status} {detail}"
                : null;
        }

        var readOnly = identity is "readonly" or "auditor";
        var changes = method is not ("GET" or "HEAD") && !parts.Contains("signed-nochange");
        if (readOnly && changes)
        {
            return gateDenied && detail!.Contains("read-only", StringComparison.Ordinal) ? null : $"expected a read-only 403, got {status}: {detail}";
        }

        if (parts.Contains("admin") && !Admins.Contains(identity))
        {
            return status == 403 && detail is not null && detail.Contains("is not an admin", StringComparison.Ordinal) ? null : $"expected a 403 for a non-admin, got {status}: {detail}";
        }

        var held = Holds[identity].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var missing = parts.Where(p => p.Contains(':', StringComparison.Ordinal) && !held.Contains(p)).ToList();

        if (missing.Count == 0)
        {
            return status == 401 || gateDenied ? $"expected to pass the permission check, got {status}: {detail}" : null;
        }

        var named = missing.Select(p => Phrase(p, application)).ToList();
        return gateDenied && named.Any(n => detail!.Contains(n, StringComparison.Ordinal))
            ? null
            : $"expected a 403 naming {string.Join(" or ", named)}, got {status}: {detail}";
    }

    private static string Phrase(string part, string application) => part switch
    {
        "app:R" => $"READ on application '{application}'",
        "app:X" => $"EXECUTE on application '{application}'",
        "app:W" => $"WRITE on application '{application}'",
        "acct:R" => "READ on account 'prod'",
        _ => "WRITE on account 'prod'",
    };

    private static bool IsAsset(RouteEndpoint endpoint, string pattern) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null
        || pattern.StartsWith("/_framework/", StringComparison.Ordinal) || pattern.StartsWith("/_content/", StringComparison.Ordinal)
        || pattern.StartsWith("/_blazor", StringComparison.Ordinal) || pattern == "/{**path:file}";

    private static IEnumerable<(string Method, string Pattern, RouteEndpoint Endpoint)> Routes(IEnumerable<RouteEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m is not "HEAD" and not "OPTIONS").Take(1))
            {
                yield return (method, PermissionRouteTable.Pattern(endpoint), endpoint);
            }
        }
    }

    internal static string Describe(IEnumerable<RouteEndpoint> endpoints)
    {
        var text = new StringBuilder();
        foreach (var (method, pattern, endpoint) in Routes(endpoints))
        {
            text.Append(method).Append(' ').Append(pattern).Append(" → ").AppendJoin("; ", PermissionRouteTable.For(endpoint)).AppendLine();
        }

        return text.ToString();
    }
}
