using System.Collections.Frozen;
using static Mizzen.Server.Security.Authorization.Access;
using static Mizzen.Server.Security.Authorization.RouteRules;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// The permission every route of the server demands, by method and route pattern, in one table to read and review (docs/permissions.md is
/// written from it). It follows fiat and Gate: reading needs READ on the application, editing configs WRITE, running and steering runs
/// EXECUTE; operations on what is deployed need EXECUTE on the application and WRITE on the account. The route matrix test calls every
/// route of the server and fails for one this table (or the endpoint's own <see cref="RouteRule"/>) does not decide.
/// </summary>
public static class PermissionRouteTable
{
    private static readonly RouteRule Ui = SignedInChangesNothing("the UI's pages and live connection (read-only callers too); each action on a page checks its own permission");
    private static readonly RouteRule AuthRoutes = Public("authentication's own routes (sign-in, sign-out): authn decides who may call them");
    private static readonly RouteRule UiAssets = Public("the UI's scripts and stylesheets (the login page needs them)");

    private static readonly FrozenDictionary<string, RouteRule[]> Rules = new Dictionary<string, RouteRule[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["GET /health/live"] = [Public("liveness probe, says nothing about the server's content")],
        ["GET /health/ready"] = [Public("readiness probe, says nothing about the server's content")],
        ["GET /metrics"] = [SignedIn("Prometheus scrapes with an API token (a read-only one is enough): the series name applications, server groups and load balancers")],

        ["GET /applications"] = [SignedIn("lists only the applications the caller may READ")],
        ["GET /applications/{app}"] = [Application(Read)],
        ["POST /applications"] = [InHandler("WRITE on an existing application of that name; a new one is open to any signed-in writer")],
        ["DELETE /applications/{app}"] = [Application(Write)],

        ["GET /applications/{app}/pipelineConfigs"] = [Application(Read)],
        ["GET /applications/{app}/pipelineConfigs/{name}"] = [Application(Read)],
        ["GET /pipelineConfigs/{id}"] = [PipelineConfig(Read)],
        ["POST /pipelines"] = [InHandler("WRITE on the body's application, and each trigger's runAsUser must be a service account the caller may use")],
        ["POST /pipelines/validate"] = [SignedInChangesNothing("checks a pipeline, stores nothing")],
        ["DELETE /pipelines/{app}/{name}"] = [Application(Write)],
        ["GET /pipelineConfigs/{id}/history"] = [PipelineConfig(Read)],
        ["GET /pipelineConfigs/{id}/history/{revision:int}"] = [PipelineConfig(Read)],
        ["GET /pipelineConfigs/{id}/diff"] = [PipelineConfig(Read)],
        ["GET /pipelines/{app}/{name}/triggers"] = [Application(Read)],

        ["POST /pipelines/{app}/{nameOrId}"] = [Application(Execute)], // and WRITE on each account its stages name: checked when the run starts
        ["GET /pipelines/{id}"] = [Execution(Read)],
        ["GET /applications/{app}/pipelines"] = [Application(Read)],
        ["PUT /pipelines/{id}/cancel"] = [Execution(Execute)],
        ["PUT /pipelines/{id}/pause"] = [Execution(Execute)],
        ["PUT /pipelines/{id}/resume"] = [Execution(Execute)],
        ["PATCH /pipelines/{id}/stages/{stageId}"] = [Execution(Execute)], // a judgment also needs one of the stage's selectedStageRoles
        ["PUT /pipelines/{id}/stages/{stageId}/restart"] = [Execution(Execute)],
        ["GET /pipelines/{id}/evaluateExpression"] = [Execution(Read)],
        ["GET /pipelines/{id}/{stageId}/evaluateExpression"] = [Execution(Read)],
        ["GET /pipelines/{id}/events"] = [Execution(Read)],
        ["GET /applications/{app}/executions/events"] = [Application(Read)],

        ["POST /tasks"] = [InHandler("EXECUTE on the body's application and WRITE on each account its job names, when the task starts")],
        ["GET /applications/{app}/tasks"] = [Application(Read)],
        ["GET /tasks/{id}"] = [Execution(Read)],

        ["GET /applications/{app}/serverGroups"] = [Application(Read)], // listings leave out accounts the caller may not READ (AccountReadFilter)
        ["GET /applications/{app}/serverGroups/{account}/{serverGroup}"] = [Application(Read), Account(Read)],
        ["GET /applications/{app}/serverGroups/{account}/{region}/{serverGroup}"] = [Application(Read), Account(Read)],
        ["GET /applications/{app}/clusters"] = [Application(Read)],
        ["GET /applications/{app}/clusters/{account}/{cluster}"] = [Application(Read), Account(Read)],
        ["GET /applications/{app}/loadBalancers"] = [Application(Read)],
        ["POST /applications/{app}/serverGroups/{account}/{serverGroup}/resize"] = [Application(Execute), Account(Write)],
        ["POST /applications/{app}/serverGroups/{account}/{serverGroup}/enable"] = [Application(Execute), Account(Write)],
        ["POST /applications/{app}/serverGroups/{account}/{serverGroup}/disable"] = [Application(Execute), Account(Write)],
        ["DELETE /applications/{app}/serverGroups/{account}/{serverGroup}"] = [Application(Execute), Account(Write)],
        ["POST /applications/{app}/clusters/{account}/{cluster}/rollback"] = [Application(Execute), Account(Write)],
        ["GET /instances/{instanceId}/logs"] = [InHandler("READ on the account that holds the instance")],
        ["GET /instances/{account}/{instanceId}"] = [Account(Read)],
        ["GET /instances/{account}/{region}/{instanceId}"] = [Account(Read)],
        ["GET /instances/{account}/{instanceId}/logs"] = [Account(Read)],

        ["GET /v2/canaries/canaryConfig"] = [Application(Read, "application", fromQuery: true)],
        ["GET /v2/canaryConfig"] = [Application(Read, "application", fromQuery: true)],
        ["POST /v2/canaries/canaryConfig"] = [InHandler("WRITE on ?application or the config's first application")],
        ["POST /v2/canaryConfig"] = [InHandler("WRITE on ?application or the config's first application")],
        ["GET /v2/canaries/canaryConfig/{id}"] = [CanaryConfig(Read)],
        ["GET /v2/canaryConfig/{id}"] = [CanaryConfig(Read)],
        ["PUT /v2/canaries/canaryConfig/{id}"] = [CanaryConfig(Write)],
        ["PUT /v2/canaryConfig/{id}"] = [CanaryConfig(Write)],
        ["DELETE /v2/canaries/canaryConfig/{id}"] = [CanaryConfig(Write)],
        ["DELETE /v2/canaryConfig/{id}"] = [CanaryConfig(Write)],
        ["GET /v2/canaries/canaryConfig/{id}/history"] = [CanaryConfig(Read)],
        ["GET /v2/canaryConfig/{id}/history"] = [CanaryConfig(Read)],
        ["POST /v2/canaries/canaryConfig/{id}/dryRun"] = [CanaryConfig(Execute)],
        ["POST /v2/canaryConfig/{id}/dryRun"] = [CanaryConfig(Execute)],
        ["POST /v2/canaries/canary/{configId}"] = [CanaryConfig(Execute, "configId")], // and EXECUTE on ?application when it names another
        ["GET /v2/canaries/canary/{configId}/{canaryExecutionId}"] = [CanaryExecution(Read)],
        ["GET /v2/canaries/canary/{canaryExecutionId}"] = [CanaryExecution(Read)],

        ["POST /webhooks/webhook/{source}"] = [Public("echo's webhooks: the runs they start are authorized as the trigger's runAsUser, or anonymous")],
        ["POST /webhooks/git/{source}"] = [Public("signed by the trigger's secret; runs are authorized as the trigger's runAsUser, or anonymous")],
        ["GET /pubsub/subscriptions"] = [SignedIn("names of configured subscriptions, no credentials")],
        ["GET /artifacts/credentials"] = [SignedIn("names and types of artifact accounts, no credentials")],

        ["GET /auth/user"] = [Public("who am I: answers \"not signed in\" to a caller that is not")],
        ["GET /auth/oidc/login"] = [Public("starts signing in with the OIDC provider (its callback, /auth/oidc/callback, is the handler's, before routing)")],
        // Token routes decide themselves, read-only callers included: a read-only token is refused with authentication's own message, and a
        // member of a read-only role may make tokens for its scripts (they are read-only through the role).
        ["POST /auth/tokens"] = [SignedInChangesNothing("the route decides: a token for oneself; for another user only as an admin; never with a read-only token")],
        ["GET /auth/tokens"] = [SignedIn("one's own tokens; everyone's only as an admin (checked by the route)")],
        ["DELETE /auth/tokens/{id}"] = [SignedInChangesNothing("the route decides: one's own token, anyone's as an admin; never with a read-only token")],
        ["GET /ui/login"] = [Public("the login page")],
        ["GET /webhooks/preconfigured"] = [SignedIn("the operator's preconfigured stage types: labels and parameter names, never URLs, headers or secrets")],
        ["GET /audit"] = [Admin("the audit log holds every application's changes, restricted ones included")],
        ["GET /ui/audit"] = [Ui, Admin("the audit log holds every application's changes, restricted ones included")],

        // The UI's pages: the page's application (or run, config, account) must be readable; each action on a page checks its own permission.
        ["GET /"] = [Ui],
        ["GET /ui/applications/{App}"] = [Ui, Application(Read, "App")],
        ["GET /ui/applications/{App}/clusters"] = [Ui, Application(Read, "App")],
        ["GET /ui/applications/{App}/executions"] = [Ui, Application(Read, "App")],
        ["GET /ui/applications/{App}/loadbalancers"] = [Ui, Application(Read, "App")],
        ["GET /ui/applications/{App}/serverGroups/{Account}/{Target}/{Action}"] = [Ui, Application(Read, "App"), Account(Read, "Account")],
        ["GET /ui/applications/{App}/clusters/{Account}/{Target}/rollback"] = [Ui, Application(Read, "App"), Account(Read, "Account")],
        ["GET /ui/canary-configs"] = [Ui],
        ["GET /ui/canary-configs/new"] = [Ui],
        ["GET /ui/canary-configs/{Id}"] = [Ui, CanaryConfig(Read, "Id")],
        ["GET /ui/canary-configs/{Id}/dry-run"] = [Ui, CanaryConfig(Read, "Id")],
        ["GET /ui/canary/{CanaryExecutionId}"] = [Ui, CanaryExecution(Read, "CanaryExecutionId")],
        ["GET /ui/executions/{Id}"] = [Ui, Execution(Read, "Id")],
        ["GET /ui/instances/{Account}/{Id}/logs"] = [Ui, Account(Read, "Account")],
        ["GET /ui/not-found"] = [Ui],
        ["GET /ui/pipelines/{Id}/config"] = [Ui, PipelineConfig(Read, "Id")],
        ["GET /ui/pipelines/{Id}/triggers"] = [Ui, PipelineConfig(Read, "Id")],
        ["GET /ui/{*Rest}"] = [Ui],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The rules for <paramref name="endpoint"/>: its own <see cref="RouteRule"/> metadata, else this table's, else the UI's; empty when undecided.</summary>
    public static IReadOnlyList<RouteRule> For(Endpoint endpoint)
    {
        var attached = endpoint.Metadata.GetOrderedMetadata<RouteRule>();
        if (attached.Count > 0)
        {
            return attached;
        }

        if (endpoint is not RouteEndpoint route)
        {
            return [];
        }

        var pattern = Pattern(route);
        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
        foreach (var method in methods)
        {
            if (Rules.TryGetValue($"{method} {pattern}", out var rules))
            {
                return rules;
            }
        }

        if (pattern.StartsWith("/auth/", StringComparison.OrdinalIgnoreCase))
        {
            return [AuthRoutes]; // login, logout, OIDC callbacks: authentication's own, before anyone is signed in
        }

        if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null
            || pattern.StartsWith("/_framework/", StringComparison.Ordinal) || pattern.StartsWith("/_content/", StringComparison.Ordinal)
            || pattern == "/{**path:file}") // the static assets' fallback for file names (answers 404 for a missing one)
        {
            return [UiAssets];
        }

        if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null
            || pattern.StartsWith("/_blazor", StringComparison.Ordinal))
        {
            return [Ui];
        }

        return [];
    }

    /// <summary>The route's pattern as the table writes it: without a trailing slash (a group's <c>"/"</c> route is the group's path).</summary>
    public static string Pattern(RouteEndpoint route)
    {
        var raw = route.RoutePattern.RawText ?? "";
        raw = raw.StartsWith('/') ? raw : "/" + raw;
        return raw.Length > 1 ? raw.TrimEnd('/') : raw;
    }
}
