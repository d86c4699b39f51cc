using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Accounts;

/// <summary>The local accounts from configuration; several stand for several environments (staging, prod).</summary>
internal sealed class LocalAccountRegistry
{
    private readonly Dictionary<string, LocalAccount> accounts = new(StringComparer.Ordinal);

    public LocalAccountRegistry(IOptions<LocalProviderOptions> options)
    {
        var list = options.Value.Accounts;
        for (var i = 0; i < list.Count; i++)
        {
            var entry = list[i];
            if (!string.Equals(entry.Type, "local", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var location = $"{LocalProviderOptions.AccountsSection}[{i}]";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw new ValidationException(location + ".name", "a local account needs a name");
            }

            if (string.IsNullOrWhiteSpace(entry.WorkingFolder))
            {
                throw new ValidationException(location + ".workingFolder", $"local account '{entry.Name}' needs a workingFolder");
            }

            if (!accounts.TryAdd(entry.Name, new LocalAccount(entry.Name, entry.WorkingFolder, PortRange.Parse(entry.PortRange, location + ".portRange"))))
            {
                throw new ValidationException(location + ".name", $"local account '{entry.Name}' is configured twice");
            }
        }
    }

    public IReadOnlyCollection<LocalAccount> All => accounts.Values;

    public LocalAccount Get(string name) =>
        accounts.TryGetValue(name, out var account)
            ? account
            : throw new NotFoundException($"There is no local account named '{name}'; configured: {string.Join(", ", accounts.Keys)}");
}
