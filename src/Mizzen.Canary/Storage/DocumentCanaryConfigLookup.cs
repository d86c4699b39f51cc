using Mizzen.Expressions.Functions;
using Mizzen.Persistence.Lookups;

namespace Mizzen.Canary.Storage;

/// <summary>
/// <c>#canaryConfigNameToId</c>'s read, with Kayenta's rule: the config of that name among the application's configs
/// (names compared exactly; of two with one name, the one <see cref="ICanaryConfigStore.ListAsync"/> lists first).
/// Reads through <see cref="IStoreLookupReads"/>, the store's synchronous path, because expression functions are synchronous.
/// </summary>
public sealed class DocumentCanaryConfigLookup(IStoreLookupReads reads) : ICanaryConfigLookup
{
    public string? FindCanaryConfigId(string configName, string application)
        => reads.ListDocuments(CanaryConfigDocuments.Collection(application))
            .Select(CanaryConfigDocuments.Read)
            .OrderBy(s => s.Config.Name, StringComparer.Ordinal)
            .FirstOrDefault(s => string.Equals(s.Config.Name, configName, StringComparison.Ordinal))?.Id;
}
