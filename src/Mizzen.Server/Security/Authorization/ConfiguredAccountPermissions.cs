using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Account permissions from configuration: each entry of <c>Mizzen:Accounts</c> (every provider's accounts are listed there, with their
/// <c>type</c>) may carry <c>permissions: {"READ": [roles], "WRITE": [roles]}</c>, e.g.
/// <c>Mizzen__Accounts__1__permissions__WRITE__0=prod-deployers</c>. Read once at start; a wrong key stops the start, naming it.
/// </summary>
public sealed class ConfiguredAccountPermissions : IAccountPermissions
{
    public const string SectionName = "Mizzen:Accounts";

    private readonly FrozenDictionary<string, PermissionSet> accounts;

    public ConfiguredAccountPermissions(IConfiguration configuration)
    {
        var found = new Dictionary<string, PermissionSet>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            var name = entry["name"] is { Length: > 0 } named ? named : entry.Key;
            var section = entry.GetSection("permissions");
            if (!section.Exists())
            {
                continue;
            }

            var location = $"{SectionName}:{entry.Key}:permissions";
            var json = new JsonObject();
            foreach (var list in section.GetChildren())
            {
                if (AccessNames.TryParse(list.Key, out var access) && access == Access.Execute)
                {
                    throw new ValidationException($"{location}:{list.Key}", "accounts have READ and WRITE only (EXECUTE belongs to applications)");
                }

                json[list.Key] = new JsonArray([.. list.GetChildren().Select(r => (JsonNode?)JsonValue.Create(r.Value ?? ""))]);
            }

            found[name] = PermissionSet.Parse(json, location);
        }

        accounts = found.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public PermissionSet For(string account) => accounts.GetValueOrDefault(account) ?? PermissionSet.Unrestricted;
}
