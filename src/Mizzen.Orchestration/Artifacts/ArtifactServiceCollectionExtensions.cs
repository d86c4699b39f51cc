using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Expressions;

namespace Mizzen.Orchestration.Artifacts;

public static class ArtifactServiceCollectionExtensions
{
    /// <summary>
    /// Artifact accounts and fetching: <see cref="ArtifactAccounts"/>, <see cref="IArtifactFetcher"/>, <see cref="FetchedBundles"/> (TryAdd, so a host can replace
    /// it). Options come from <see cref="ArtifactOptions"/> (the server binds <c>Mizzen:Artifacts</c>); URL restrictions from
    /// <see cref="ExpressionOptions"/>.
    /// </summary>
    public static IServiceCollection AddMizzenArtifacts(this IServiceCollection services)
    {
        services.AddOptions<ArtifactOptions>();
        services.AddOptions<ExpressionOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ArtifactAccounts>();
        services.TryAddSingleton<ArtifactHttp>();
        services.TryAddSingleton<GitRepoCheckout>();
        services.TryAddSingleton<IArtifactFetcher, ArtifactFetcher>();
        services.TryAddSingleton<FetchedBundles>();
        return services;
    }
}
