using Mizzen.Canary.Configs;
using Mizzen.Canary.Stage;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Server.Security.Authorization;

/// <summary>The kinds of <see cref="RouteRule"/>: how a route names the application or account it acts on, and what it needs there.</summary>
public static class RouteRules
{
    /// <summary>Open to callers that are not signed in; <paramref name="why"/> says what protects it instead.</summary>
    public static RouteRule Public(string why) => new PublicRule(why);

    /// <summary>Any signed-in caller (read-only ones for GET only); <paramref name="what"/> says why nothing more is needed.</summary>
    public static RouteRule SignedIn(string what) => new SignedInRule(what, changesNothing: false);

    /// <summary>Any signed-in caller, read-only ones too: a POST that only computes an answer.</summary>
    public static RouteRule SignedInChangesNothing(string what) => new SignedInRule(what, changesNothing: true);

    /// <summary>Signed in; the route checks the application named in its body itself (<paramref name="what"/> says what it checks).</summary>
    public static RouteRule InHandler(string what) => new SignedInRule("checked by the route: " + what, changesNothing: false);

    /// <summary>Members of an admin role only (<c>Mizzen:Auth:AdminRoles</c>); <paramref name="why"/> says why.</summary>
    public static RouteRule Admin(string why) => new AdminRule(why);

    /// <summary>The application in route value (or query parameter) <paramref name="name"/>.</summary>
    public static RouteRule Application(Access access, string name = "app", bool fromQuery = false) => new ApplicationRule(access, name, fromQuery);

    /// <summary>The application of the execution (pipeline run or task) whose id is route value <paramref name="name"/>.</summary>
    public static RouteRule Execution(Access access, string name = "id") => new ExecutionRule(access, name, canaryId: false);

    /// <summary>The application of the run holding canary execution <paramref name="name"/> (<c>&lt;executionId&gt;-&lt;stageId&gt;</c>).</summary>
    public static RouteRule CanaryExecution(Access access, string name = "canaryExecutionId") => new ExecutionRule(access, name, canaryId: true);

    /// <summary>The application of the pipeline config whose id is route value <paramref name="name"/>.</summary>
    public static RouteRule PipelineConfig(Access access, string name = "id") => new PipelineConfigRule(access, name);

    /// <summary>The application of the canary config whose id is route value <paramref name="name"/>.</summary>
    public static RouteRule CanaryConfig(Access access, string name = "id") => new CanaryConfigRule(access, name);

    /// <summary>The account in route value <paramref name="name"/>.</summary>
    public static RouteRule Account(Access access, string name = "account") => new AccountRule(access, name);

    private static string? Value(HttpContext http, string name, bool fromQuery = false) =>
        fromQuery ? http.Request.Query[name].ToString() is { Length: > 0 } q ? q : null
                  : http.Request.RouteValues.TryGetValue(name, out var v) && v is string s && s.Length > 0 ? s : null;

    private sealed class PublicRule(string why) : RouteRule
    {
        public override bool Public => true;

        public override string Description => "public: " + why;

        public override ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }

    private sealed class SignedInRule(string what, bool changesNothing) : RouteRule
    {
        public override bool ChangesNothing => changesNothing;

        public override string Description => "signed in: " + what;

        public override ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
    }

    private sealed class AdminRule(string why) : RouteRule
    {
        public override string Description => "admins only: " + why;

        public override ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken) =>
            ValueTask.FromResult(caller.IsAdmin || ReferenceEquals(caller, Caller.Everyone)
                ? null
                : $"'{caller.Name}' is not an admin: {http.Request.Method} {http.Request.Path} needs a role in Mizzen:Auth:AdminRoles");
    }

    private sealed class ApplicationRule(Access access, string name, bool fromQuery) : RouteRule
    {
        public override string Description => $"{access.Wire()} on the application in {(fromQuery ? "?" + name : "{" + name + "}")}";

        public override ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken) =>
            Value(http, name, fromQuery) is { } application
                ? evaluator.ApplicationDenialAsync(caller, application, access, cancellationToken)
                : ValueTask.FromResult<string?>(null);
    }

    private sealed class ExecutionRule(Access access, string name, bool canaryId) : RouteRule
    {
        public override string Description => $"{access.Wire()} on the application of the run in {{{name}}}";

        public override async ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken)
        {
            if (Value(http, name) is not { } id)
            {
                return null;
            }

            if (canaryId)
            {
                try
                {
                    id = CanaryExecutionId.Parse(id).ExecutionId;
                }
                catch (MizzenException)
                {
                    return null; // the route names what is wrong with the id
                }
            }

            var execution = await http.RequestServices.GetRequiredService<IExecutionStore>().GetAsync(id, cancellationToken);
            return execution is null ? null : await evaluator.ApplicationDenialAsync(caller, execution.Application, access, cancellationToken);
        }
    }

    private sealed class PipelineConfigRule(Access access, string name) : RouteRule
    {
        public override string Description => $"{access.Wire()} on the application of the pipeline config in {{{name}}}";

        public override async ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken) =>
            Value(http, name) is { } id && await http.RequestServices.GetRequiredService<IPipelineConfigStore>().GetAsync(id, cancellationToken) is { } config
                ? await evaluator.ApplicationDenialAsync(caller, config.Application, access, cancellationToken)
                : null;
    }

    private sealed class CanaryConfigRule(Access access, string name) : RouteRule
    {
        public override string Description => $"{access.Wire()} on the application of the canary config in {{{name}}}";

        public override async ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken) =>
            Value(http, name) is { } id && await http.RequestServices.GetRequiredService<ICanaryConfigStore>().FindAsync(id, cancellationToken) is { } config
                ? await evaluator.ApplicationDenialAsync(caller, config.Application, access, cancellationToken)
                : null;
    }

    private sealed class AccountRule(Access access, string name) : RouteRule
    {
        public override string Description => $"{access.Wire()} on the account in {{{name}}}";

        public override ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Value(http, name) is { } account ? evaluator.AccountDenial(caller, account, access) : null);
    }
}
