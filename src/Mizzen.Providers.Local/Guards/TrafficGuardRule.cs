namespace Mizzen.Providers.Local.Guards;

/// <summary>
/// An entry of an application's <c>trafficGuards</c> (Deck's shape). <c>*</c> matches anything; an empty stack or detail matches only an
/// empty one. For the local provider the location is the account.
/// </summary>
public sealed record TrafficGuardRule(string Account, string? Location = "*", string? Stack = "*", string? Detail = "*", bool Enabled = true)
{
    public bool Matches(string account, string location, string? stack, string? detail) =>
        Enabled && Match(Account, account) && Match(Location, location) && Match(Stack, stack) && Match(Detail, detail);

    private static bool Match(string? pattern, string? value) =>
        pattern == "*" || string.Equals(pattern ?? "", value ?? "", StringComparison.Ordinal);
}
