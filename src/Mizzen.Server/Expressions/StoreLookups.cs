using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Canary.Storage;
using Mizzen.Core.Json;
using Mizzen.Expressions.Functions;
using Mizzen.Persistence.Lookups;

namespace Mizzen.Server.Expressions;

/// <summary>
/// What <c>#pipelineId</c>, <c>#pipelineIdInApplication</c> and <c>#applicationMetadata</c> read. Expression functions
/// are synchronous and run on a worker thread outside any transaction, so they read through the store's synchronous
/// path (<see cref="IStoreLookupReads"/>, real synchronous database I/O) rather than blocking on the async stores.
/// </summary>
public sealed class StoreLookups(IStoreLookupReads reads) : IPipelineConfigLookup, IApplicationLookup
{
    public string? FindPipelineId(string application, string pipelineName) => reads.FindPipelineId(application, pipelineName);

    public JsonObject? FindApplication(string application) =>
        reads.FindApplication(application) is { } found
            ? JsonSerializer.SerializeToNode(found, MizzenJson.Context.Application) as JsonObject
            : null;
}

public static class StoreLookupRegistration
{
    /// <summary>The lookups of the expression functions that read stored data; <c>#canaryConfigNameToId</c> reads through the canary component.</summary>
    public static IServiceCollection AddExpressionLookups(this IServiceCollection services)
    {
        services.TryAddSingleton<StoreLookups>();
        services.TryAddSingleton<IPipelineConfigLookup>(sp => sp.GetRequiredService<StoreLookups>());
        services.TryAddSingleton<IApplicationLookup>(sp => sp.GetRequiredService<StoreLookups>());
        services.TryAddSingleton<ICanaryConfigLookup, DocumentCanaryConfigLookup>();
        return services;
    }
}
