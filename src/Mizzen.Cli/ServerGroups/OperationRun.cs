using System.Text.Json.Nodes;
using Mizzen.Cli.Executions;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.ServerGroups;

/// <summary>
/// Starts a server-group operation (the server answers 202 <c>{ref: "/pipelines/&lt;id&gt;"}</c>), prints the execution id, and with
/// <c>--wait</c> follows it like <c>pipeline execute --wait</c>: exit 0 only when it succeeds.
/// </summary>
internal static class OperationRun
{
    public static async Task<int> StartAsync(CliContext context, HttpMethod method, string path, JsonNode? body, bool wait, CancellationToken cancellationToken)
    {
        var answer = await context.Client.SendAsync(method, path, body, cancellationToken);
        var executionId = ExecutionId(answer);
        if (context.Json && !wait)
        {
            context.WriteJson(answer);
            return ExitCodes.Success;
        }

        if (!context.Json)
        {
            context.Out.WriteLine(executionId);
        }

        if (!wait)
        {
            return ExitCodes.Success;
        }

        return await ExecutionWait.FollowAndReportAsync(context, executionId, cancellationToken);
    }

    private static string ExecutionId(JsonNode? answer)
    {
        var reference = (answer as JsonObject)?["ref"].AsString();
        var id = reference?.TrimEnd('/').Split('/')[^1];
        return string.IsNullOrEmpty(id)
            ? throw new CliException($"the server started the operation but sent no execution ref: {answer?.ToJsonString() ?? "(empty)"}")
            : id;
    }
}
