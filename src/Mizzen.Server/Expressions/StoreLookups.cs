using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Canary.Configs;
using Mizzen.Core.Json;
using Mizzen.Expressions.Functions;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Server.Expressions;

/// <summary>
/// What <c>#pipelineId</c>, <c>#pipelineIdInApplication</c>, <c>#applicationMetadata</c> and <c>#canaryConfigNameToId</c> read: the stores.
/// The expression interfaces are synchronous; the SQLite stores complete synchronously, so waiting is free here.
/// </summary>
public sealed class StoreLookups(IPipelineConfigStore pipelines, IApplicationStore applications, ICanaryConfigStore canaryConfigs)
    : IPipelineConfigLookup, IApplicationLookup, ICanaryConfigLookup
{
    public string? FindPipelineId(string application, string pipelineName) =>
        pipelines.FindByNameAsync(application, pipelineName, CancellationToken.None).GetAwaiter().GetResult()?.Id;

    public JsonObject? FindApplication(string application) =>
        applications.GetAsync(application, CancellationToken.None).GetAwaiter().GetResult() is { } found
            ? JsonSerializer.SerializeToNode(found, MizzenJson.Context.Application) as JsonObject
            : null;

    /// <summary>Kayenta's rule: the config of that name among the application's configs (names compared exactly).</summary>
    public string? FindCanaryConfigId(string configName, string application) =>
        canaryConfigs.ListAsync(application, CancellationToken.None).GetAwaiter().GetResult()
            .FirstOrDefault(c => string.Equals(c.Config.Name, configName, StringComparison.Ordinal))?.Id;
}

public static class StoreLookupRegistration
{
    public static IServiceCollection AddExpressionLookups(this IServiceCollection services)
    {
        services.TryAddSingleton<StoreLookups>();
        services.TryAddSingleton<IPipelineConfigLookup>(sp => sp.GetRequiredService<StoreLookups>());
        services.TryAddSingleton<IApplicationLookup>(sp => sp.GetRequiredService<StoreLookups>());
        services.TryAddSingleton<ICanaryConfigLookup>(sp => sp.GetRequiredService<StoreLookups>());
        return services;
    }
}
