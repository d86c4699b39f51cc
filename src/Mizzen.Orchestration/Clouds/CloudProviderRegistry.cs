using Mizzen.Core.Errors;

namespace Mizzen.Orchestration.Clouds;

/// <summary>Finds the <see cref="ICloudProvider"/> for a stage's <c>cloudProvider</c> (default <see cref="DefaultProvider"/>).</summary>
public sealed class CloudProviderRegistry(IEnumerable<ICloudProvider> providers)
{
    public const string DefaultProvider = "local";

    private readonly Dictionary<string, ICloudProvider> byName =
        providers.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<ICloudProvider> All => byName.Values;

    public bool TryGet(string? cloudProvider, out ICloudProvider provider) =>
        byName.TryGetValue(string.IsNullOrWhiteSpace(cloudProvider) ? DefaultProvider : cloudProvider, out provider!);

    /// <summary>The provider, or a <see cref="NotFoundException"/> naming the ones that are configured.</summary>
    public ICloudProvider Get(string? cloudProvider) =>
        TryGet(cloudProvider, out var provider)
            ? provider
            : throw new NotFoundException(
                $"No cloud provider '{cloudProvider ?? DefaultProvider}' is configured; available: {(byName.Count == 0 ? "none" : string.Join(", ", byName.Keys.Order(StringComparer.Ordinal)))}");
}
