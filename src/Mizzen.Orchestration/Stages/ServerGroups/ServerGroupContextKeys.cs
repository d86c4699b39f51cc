using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>Spinnaker's context keys that server-group tasks write, and their shapes.</summary>
public static class ServerGroupContextKeys
{
    public const string ServerGroups = "deploy.server.groups";
    public const string AccountName = "deploy.account.name";
    public const string DeploymentDetails = "deploymentDetails";
    public const string Artifacts = "artifacts";
    public const string ServerGroupName = "serverGroupName";

    /// <summary><c>{"deploy.server.groups": {"&lt;account&gt;": ["name"]}, "deploy.account.name": account}</c>.</summary>
    public static JsonObject Deployed(string account, string serverGroup) => new()
    {
        [ServerGroups] = new JsonObject { [account] = new JsonArray(serverGroup) },
        [AccountName] = account,
    };

    /// <summary>The first server group named in <c>deploy.server.groups</c> (any account), or null.</summary>
    public static (string Account, string ServerGroup)? FirstDeployed(JsonObject context)
    {
        if (context[ServerGroups] is JsonObject groups)
        {
            foreach (var (account, names) in groups)
            {
                if (names is JsonArray { Count: > 0 } list && list[0].AsString() is { } name)
                {
                    return (account, name);
                }
            }
        }

        return null;
    }
}
