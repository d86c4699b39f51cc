using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Server.Security;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Benchmarks.Permissions;

/// <summary>
/// What the permission check adds to a request (issue 13's goal: at most 50 µs): the gate middleware on
/// <c>GET /applications/{app}/pipelineConfigs</c> for a signed-in caller with three roles, against a restricted application whose
/// permissions are in the evaluator's cache (they are read from the store once per <c>ApplicationCacheTime</c>); and the evaluator's
/// decision alone.
/// </summary>
[MemoryDiagnoser]
public class PermissionCheckBench
{
    private PermissionGate gate = null!;
    private PermissionEvaluator evaluator = null!;
    private DefaultHttpContext context = null!;
    private Caller caller = null!;
    private RouteEndpoint endpoint = null!;

    [GlobalSetup]
    public void Setup()
    {
        var auth = new AuthOptions { Enabled = true };
        auth.AdminRoles.Add("admins");
        var application = new Application
        {
            Name = "shop",
            Permissions = new JsonObject
            {
                ["READ"] = new JsonArray("viewers", "executors", "writers"),
                ["EXECUTE"] = new JsonArray("executors", "writers"),
                ["WRITE"] = new JsonArray("writers"),
            },
        };
        var applications = new StoredApplicationPermissions(new OneApplication(application), TimeProvider.System, Options.Create(new PermissionOptions()));
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        evaluator = new PermissionEvaluator(new MizzenAuth(Options.Create(auth)), Options.Create(auth), Options.Create(new PermissionOptions()),
            applications, new ConfiguredAccountPermissions(configuration), new NoRoles());
        gate = new PermissionGate(_ => Task.CompletedTask, evaluator, new NoProblems(), NullLogger<PermissionGate>.Instance);
        endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/applications/{app}/pipelineConfigs"), 0,
            new EndpointMetadataCollection(new HttpMethodMetadata(["GET"])), "pipeline configs");
        var principal = MizzenAuth.Principal("vera", ["viewers", "dev", "oncall"], "token", "bench");
        caller = evaluator.For(principal);
        context = new DefaultHttpContext { User = principal };
        context.Request.Method = "GET";
        context.Request.RouteValues["app"] = "shop";
        context.SetEndpoint(endpoint);
        gate.InvokeAsync(context).GetAwaiter().GetResult(); // warms the rule and permission caches, as any earlier request would
    }

    [Benchmark(Description = "gate: GET /applications/{app}/pipelineConfigs, READ granted")]
    public Task Gate() => gate.InvokeAsync(context);

    [Benchmark(Description = "evaluator: caller from principal + READ on application")]
    public async Task<string?> Evaluator() =>
        await evaluator.ApplicationDenialAsync(evaluator.For(context.User), "shop", Access.Read, CancellationToken.None);

    [Benchmark(Description = "evaluator: EXECUTE denied (message built)")]
    public async Task<string?> Denied() => await evaluator.ApplicationDenialAsync(caller, "shop", Access.Execute, CancellationToken.None);

    private sealed class OneApplication(Application application) : IApplicationStore
    {
        public Task<IReadOnlyList<Application>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Application>>([application]);

        public Task<Application?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult<Application?>(name == application.Name ? application : null);

        public Task SaveAsync(Application application, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    private sealed class NoRoles : IUserRoles
    {
        public Task<IReadOnlyList<string>> GetRolesAsync(string user, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task RememberLoginAsync(string user, IReadOnlyList<string> roles, string source, CancellationToken cancellationToken) => Task.CompletedTask;

        public bool IsServiceAccount(string user) => false;
    }

    private sealed class NoProblems : IProblemDetailsService
    {
        public ValueTask WriteAsync(ProblemDetailsContext context) => ValueTask.CompletedTask;
    }
}
