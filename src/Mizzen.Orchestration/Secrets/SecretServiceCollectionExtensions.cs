using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Core.Secrets;

namespace Mizzen.Orchestration.Secrets;

public static class SecretServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISecretStore"/> (<see cref="ConfiguredSecretStore"/> unless one is registered already) reading
    /// <c>Mizzen:Secrets</c>, the environment and <c>Mizzen:SecretStore:Directory</c> from <paramref name="configuration"/>.
    /// </summary>
    public static IServiceCollection AddMizzenSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecretStoreOptions>().Bind(configuration.GetSection(SecretStoreOptions.SectionName));
        services.TryAddSingleton<ISecretStore>(sp => new ConfiguredSecretStore(configuration,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecretStoreOptions>>()));
        return services;
    }
}
