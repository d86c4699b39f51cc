using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>
/// <c>mizzen execution list APP</c>: an application's pipeline runs (<c>GET /applications/{app}/pipelines</c>) and its tasks, the
/// ad-hoc orchestrations such as server-group operations and the demo's first deploy (<c>GET /applications/{app}/tasks</c>),
/// merged newest first with a <c>type</c> column.
/// </summary>
internal static class ExecutionListCommand
{
    private const string PipelineType = "pipeline";
    private const string TaskType = "task";

    public static Command Create(CliCommand cli)
    {
        var application = new Argument<string>("APP") { Description = "application name" };
        var limit = new Option<int?>("--limit") { Description = "runs per pipeline, and tasks (server default 10)", HelpName = "N" };
        var statuses = new Option<string?>("--status") { Description = "only these statuses, e.g. RUNNING,TERMINAL", HelpName = "S,..." };
        var pipeline = new Option<string?>("--pipeline") { Description = "only runs of this pipeline (no tasks)", HelpName = "NAME" };
        var type = new Option<string?>("--type") { Description = "only pipeline runs or only tasks (ad-hoc orchestrations)", HelpName = "pipeline|task" };
        type.AcceptOnlyFromAmong(PipelineType, TaskType);
        var command = new Command("list", "List an application's pipeline runs and tasks, newest first") { application, limit, statuses, pipeline, type };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            if (context.Value(limit) is <= 0)
            {
                throw CliException.Usage("--limit must be a positive number");
            }

            if (context.Value(pipeline) is not null && context.Value(type) == TaskType)
            {
                throw CliException.Usage("--pipeline lists pipeline runs only; it cannot be combined with --type task");
            }

            var app = context.Value(application);
            var status = NormalizeStatuses(context.Value(statuses));
            var count = context.Value(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var runs = new List<JsonNode>();
            if (context.Value(type) != TaskType)
            {
                var path = ApiPath.WithQuery(ApiPath.Of("applications", app, "pipelines"), ("limit", count), ("statuses", status), ("pipelineName", context.Value(pipeline)));
                runs.AddRange(Items(await context.Client.GetAsync(path, cancellationToken)));
            }

            if (context.Value(type) != PipelineType && context.Value(pipeline) is null)
            {
                var path = ApiPath.WithQuery(ApiPath.Of("applications", app, "tasks"), ("limit", count), ("statuses", status));
                runs.AddRange(Items(await context.Client.GetAsync(path, cancellationToken)));
            }

            var newestFirst = runs
                .OrderByDescending(r => r["buildTime"].AsLong() ?? r["startTime"].AsLong() ?? 0)
                .ThenByDescending(r => r["id"].AsString(), StringComparer.Ordinal)
                .ToList();
            if (context.Json)
            {
                context.WriteJson(new JsonArray([.. newestFirst.Select(r => r.DeepClone())]));
                return ExitCodes.Success;
            }

            TableRenderer.Write(context.Out, ["id", "type", "name", "status", "started", "duration", "trigger"],
                newestFirst.Select(r => Answers.As<PipelineExecution>(r, "execution")).Select(e => new[]
                {
                    e.Id, e.Type == ExecutionType.Orchestration ? TaskType : PipelineType, e.Name, Display.Status(e.Status),
                    Display.Time(e.StartTime, context.Clock), Display.Duration(e.StartTime, e.EndTime, context.Clock), ExecutionView.Trigger(e),
                }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<JsonNode> Items(JsonNode? answer) => Answers.Array(answer, "list of executions").OfType<JsonNode>();

    private static string? NormalizeStatuses(string? statuses)
    {
        if (string.IsNullOrWhiteSpace(statuses))
        {
            return null;
        }

        var names = statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!ExecutionStatusExtensions.TryParseWireName(name, out _))
            {
                throw CliException.Usage($"--status {name}: not a status (use NOT_STARTED, RUNNING, PAUSED, SUCCEEDED, TERMINAL, CANCELED, ...)");
            }
        }

        return string.Join(',', names.Select(n => n.ToUpperInvariant()));
    }
}
