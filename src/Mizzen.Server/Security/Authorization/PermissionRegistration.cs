using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;

namespace Mizzen.Server.Security.Authorization;

/// <summary>Permissions (fiat's model): the evaluator, where permissions come from, the checked runner and the route gate.</summary>
public static class PermissionRegistration
{
    /// <summary>Call after the engine and authentication are added: it wraps the engine's <see cref="IExecutionRunner"/>.</summary>
    public static IServiceCollection AddMizzenPermissions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PermissionOptions>().Bind(configuration.GetSection(PermissionOptions.SectionName));
        services.TryAddSingleton<IApplicationPermissions, StoredApplicationPermissions>();
        services.TryAddSingleton<IAccountPermissions>(_ => new ConfiguredAccountPermissions(configuration));
        services.TryAddSingleton<PermissionEvaluator>();
        services.TryAddScoped<UiPermissions>();
        services.Replace(ServiceDescriptor.Singleton<IExecutionRunner>(sp => new AuthorizingExecutionRunner(
            sp.GetRequiredService<ExecutionRunner>(), sp.GetRequiredService<PermissionEvaluator>(), sp.GetRequiredService<IExecutionStore>())));
        return services;
    }

    /// <summary>After authentication (it reads the signed-in user), before the routes.</summary>
    public static IApplicationBuilder UseMizzenPermissions(this IApplicationBuilder app) => app.UseMiddleware<PermissionGate>();
}
