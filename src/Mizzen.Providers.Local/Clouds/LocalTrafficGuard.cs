using System.Text.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Persistence.Applications;
using Mizzen.Providers.Local.Guards;

namespace Mizzen.Providers.Local.Clouds;

/// <summary>
/// <see cref="ITrafficGuard"/> for the local provider: the rules are the application's stored <c>trafficGuards</c>
/// (<c>[{account, location, stack, detail, enabled}]</c>, Deck's shape; the location of a local cluster is its account, a missing
/// location matches any, a missing stack or detail matches only an empty one), judged by <see cref="Guards.TrafficGuard"/>.
/// Without an application store (a host with no persistence) nothing is guarded.
/// </summary>
internal sealed class LocalTrafficGuard(TrafficGuard guard, IApplicationStore? applications = null) : ITrafficGuard
{
    public async Task<GuardDecision> CheckAsync(string application, GuardedChange change, CancellationToken cancellationToken)
    {
        var rules = await RulesAsync(application, cancellationToken);
        if (rules.Count == 0)
        {
            return GuardDecision.Allow;
        }

        var operation = change.Kind switch
        {
            GuardedChangeKind.Disable => GuardedOperation.Disable(change.Account, change.ServerGroup),
            GuardedChangeKind.Destroy => GuardedOperation.Destroy(change.Account, change.ServerGroup),
            _ => GuardedOperation.Resize(change.Account, change.ServerGroup, change.NewDesired ?? 0),
        };
        try
        {
            await guard.EnsureAllowedAsync(application, rules, operation, cancellationToken);
            return GuardDecision.Allow;
        }
        catch (TrafficGuardException e)
        {
            return GuardDecision.Refuse(e.Message);
        }
    }

    private async Task<IReadOnlyList<TrafficGuardRule>> RulesAsync(string application, CancellationToken cancellationToken)
    {
        if (applications is null || await applications.GetAsync(application, cancellationToken) is not { } app
            || app.Extra is null || !app.Extra.TryGetValue("trafficGuards", out var guards) || guards.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return guards.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.Object).Select(Rule).ToList();
    }

    private static TrafficGuardRule Rule(JsonElement json) => new(
        Text(json, "account") ?? "*",
        Text(json, "location") ?? "*",
        Text(json, "stack") ?? "",
        Text(json, "detail") ?? "",
        !json.TryGetProperty("enabled", out var enabled) || enabled.ValueKind != JsonValueKind.False);

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
