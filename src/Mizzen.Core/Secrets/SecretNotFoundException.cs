using Mizzen.Core.Errors;

namespace Mizzen.Core.Secrets;

/// <summary>A <c>${secret:name}</c> reference to a secret no source defines, or one the place of use may not read. The message names the secret, never a value.</summary>
public sealed class SecretNotFoundException(string message) : MizzenException(message)
{
    public static SecretNotFoundException Missing(string name, ISecretStore? store) =>
        new(store is null
            ? $"secret '{name}' cannot be resolved: no secret store is configured"
            : $"secret '{name}' is not defined ({store.DescribeSources(name)})");

    public static SecretNotFoundException NotForPipelines(string name) =>
        new($"secret '{name}' may not be used from a pipeline's own fields; list it in Mizzen:SecretStore:AllowedInPipelines, or use it from a preconfigured webhook stage");
}
