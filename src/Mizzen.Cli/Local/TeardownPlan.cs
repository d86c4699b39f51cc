using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Local;

/// <summary>What <c>local teardown</c> removes, per application: the account's server groups and load balancers, read from the API.</summary>
internal sealed record TeardownPlan(string Account, IReadOnlyList<TeardownPlan.ApplicationPart> Applications)
{
    public bool IsEmpty => Applications.Count == 0;

    public static async Task<TeardownPlan> ReadAsync(MizzenClient client, string account, string? application, CancellationToken cancellationToken)
    {
        var names = application is not null
            ? [application]
            : ((await client.GetAsync("applications", cancellationToken)) as JsonArray ?? [])
                .Select(a => a?["name"].AsString()).OfType<string>().ToList();
        var parts = new List<ApplicationPart>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            var serverGroups = (await client.GetAsync(ApiPath.Of("applications", name, "serverGroups"), cancellationToken) as JsonArray ?? [])
                .OfType<JsonObject>().Where(g => g["account"].AsString() == account && IsLocal(g))
                .OrderBy(g => g["name"].AsString(), StringComparer.Ordinal).ToList();
            var loadBalancers = (await client.GetAsync(ApiPath.Of("applications", name, "loadBalancers"), cancellationToken) as JsonArray ?? [])
                .OfType<JsonObject>().Where(lb => lb["account"].AsString() == account && IsLocal(lb))
                .Select(lb => lb["name"].AsString()).OfType<string>().Order(StringComparer.Ordinal).ToList();
            if (serverGroups.Count > 0 || loadBalancers.Count > 0)
            {
                parts.Add(new ApplicationPart(name, serverGroups, loadBalancers));
            }
        }

        return new TeardownPlan(account, parts);
    }

    /// <summary>The listings hold every provider's things; teardown removes only the local provider's (an older server names none).</summary>
    private static bool IsLocal(JsonObject item) => item["cloudProvider"].AsString() is null or "local";

    /// <summary>One application's share; its <see cref="Job"/> is the ad-hoc task that removes it.</summary>
    internal sealed record ApplicationPart(string Application, IReadOnlyList<JsonObject> ServerGroups, IReadOnlyList<string> LoadBalancers)
    {
        public string Describe() =>
            $"application {Application}: " + string.Join("; ", new[]
            {
                ServerGroups.Count == 0 ? null : $"server groups {string.Join(", ", ServerGroups.Select(g => $"{g["name"].AsString()} ({Instances(g)} instances)"))}",
                LoadBalancers.Count == 0 ? null : $"load balancers {string.Join(", ", LoadBalancers)}",
            }.OfType<string>());

        /// <summary>
        /// Every server group destroyed at once (each disables, drains and stops its instances: the same <c>destroyServerGroup</c> stage a
        /// pipeline would run, so it is recorded as a run), then the load balancers deleted.
        /// </summary>
        public JsonObject Job(string account)
        {
            var stages = new JsonArray();
            var destroys = new JsonArray();
            foreach (var group in ServerGroups)
            {
                var refId = (stages.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                destroys.Add(refId);
                stages.Add(new JsonObject
                {
                    ["refId"] = refId,
                    ["requisiteStageRefIds"] = new JsonArray(),
                    ["type"] = "destroyServerGroup",
                    ["name"] = $"Destroy {group["name"].AsString()}",
                    ["cloudProvider"] = "local",
                    ["credentials"] = account,
                    ["region"] = "local",
                    ["serverGroupName"] = group["name"]?.DeepClone(),
                    ["cluster"] = group["cluster"]?.DeepClone(),
                    ["moniker"] = group["moniker"]?.DeepClone(),
                });
            }

            foreach (var loadBalancer in LoadBalancers)
            {
                stages.Add(new JsonObject
                {
                    ["refId"] = (stages.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["requisiteStageRefIds"] = destroys.DeepClone(),
                    ["type"] = "deleteLoadBalancer",
                    ["name"] = $"Delete {loadBalancer}",
                    ["cloudProvider"] = "local",
                    ["credentials"] = account,
                    ["region"] = "local",
                    ["loadBalancerName"] = loadBalancer,
                });
            }

            return new JsonObject
            {
                ["application"] = Application,
                ["description"] = $"Tear down {Application} in account {account}",
                ["job"] = stages,
            };
        }

        private static int Instances(JsonObject group) => group["instanceCounts"]?["total"]?.AsLong() is { } total ? (int)total : 0;
    }
}
