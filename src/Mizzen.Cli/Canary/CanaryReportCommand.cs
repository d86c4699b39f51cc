using System.CommandLine;
using System.Text.Json.Nodes;

namespace Mizzen.Cli.Canary;

/// <summary>
/// <c>mizzen canary report ID</c>: a stored canary run's per-interval, per-metric report from the server, as a table
/// (<c>-o json</c>: the API's status JSON; an array of them for a pipeline execution id).
/// </summary>
internal static class CanaryReportCommand
{
    public static Command Create(CliCommand cli)
    {
        var id = new Argument<string>("ID")
        {
            Description = "canary execution id ({executionId}-{stageId}, a kayentaCanary stage's canaryExecutionId output), "
                + "or a pipeline execution id for every kayentaCanary stage in it",
        };
        var command = new Command("report", "Show a canary run's score and, for each judged interval, the report of every metric") { id };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var value = context.Value(id).Trim();
            var runs = await CanaryRunLookup.FindAsync(context.Client, value, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(CanaryRunLookup.IsCanaryExecutionId(value)
                    ? runs[0].Status
                    : new JsonArray([.. runs.Select(r => (JsonNode)r.Status)]));
            }
            else
            {
                CanaryRunView.Write(context.Out, runs);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
