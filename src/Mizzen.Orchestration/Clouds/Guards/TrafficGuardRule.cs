using System.Text.Json;

namespace Mizzen.Orchestration.Clouds.Guards;

/// <summary>
/// An entry of an application's <c>trafficGuards</c> (Deck's shape <c>{account, location, stack, detail, enabled}</c>). <c>*</c> matches
/// anything; a missing account or location matches any, a missing stack or detail only an empty one. The location is the server
/// group's region as its provider reads it (the account for <c>local</c>, the namespace for Kubernetes).
/// </summary>
public sealed record TrafficGuardRule(string Account, string? Location = "*", string? Stack = "*", string? Detail = "*", bool Enabled = true)
{
    public bool Matches(string account, string location, string? stack, string? detail) =>
        Enabled && Match(Account, account) && Match(Location, location) && Match(Stack, stack) && Match(Detail, detail);

    /// <summary>The rules stored with an application (its <c>trafficGuards</c> extension field); none when absent or not an array.</summary>
    public static IReadOnlyList<TrafficGuardRule> FromApplication(IReadOnlyDictionary<string, JsonElement>? extra) =>
        extra is not null && extra.TryGetValue("trafficGuards", out var guards) && guards.ValueKind == JsonValueKind.Array
            ? [.. guards.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.Object).Select(FromJson)]
            : [];

    private static TrafficGuardRule FromJson(JsonElement json) => new(
        Text(json, "account") ?? "*",
        Text(json, "location") ?? "*",
        Text(json, "stack") ?? "",
        Text(json, "detail") ?? "",
        !json.TryGetProperty("enabled", out var enabled) || enabled.ValueKind != JsonValueKind.False);

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Match(string? pattern, string? value) =>
        pattern == "*" || string.Equals(pattern ?? "", value ?? "", StringComparison.Ordinal);
}
