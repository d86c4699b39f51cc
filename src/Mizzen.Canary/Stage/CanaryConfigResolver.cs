using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Stage;

/// <summary>
/// Finds the canary config a stage names: by id in the pipeline's application, then by id in any application
/// (Kayenta's configs are global), then by name within the application.
/// </summary>
public sealed class CanaryConfigResolver(ICanaryConfigStore store)
{
    public async Task<StoredCanaryConfig> ResolveAsync(string application, string? id, string? name, CancellationToken cancellationToken)
    {
        if (id is null && name is null)
        {
            throw KayentaCanaryContext.Invalid("canaryConfig.canaryConfigId", "a kayentaCanary stage needs canaryConfig.canaryConfigId (or canaryConfigName)");
        }

        if (id is not null)
        {
            var found = await store.GetAsync(application, id, null, cancellationToken) ?? await store.FindAsync(id, cancellationToken);
            if (found is not null)
            {
                return found;
            }
        }

        var byName = (await store.ListAsync(application, cancellationToken))
            .FirstOrDefault(c => string.Equals(c.Config.Name, name ?? id, StringComparison.OrdinalIgnoreCase));
        return byName ?? throw KayentaCanaryContext.Invalid(
            "canaryConfig.canaryConfigId",
            $"canary config '{id ?? name}' was not found (looked by id, and by name in application '{application}'); create it with POST /v2/canaries/canaryConfig");
    }
}
