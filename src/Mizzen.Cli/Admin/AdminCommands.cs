using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Migration;

namespace Mizzen.Cli.Admin;

/// <summary>
/// <c>mizzen admin …</c>: offline operations on a store, run on the machine that holds it, with no server running. The only
/// commands that open a store themselves (the CLI otherwise talks to the server), hence the CLI's one use of Mizzen.Persistence.
/// </summary>
internal static class AdminCommands
{
    public static Command Create(CliCommand cli) =>
        CliCommand.Group("admin", "Offline store operations (no server running): migrate-store", MigrateStore(cli));

    private static Command MigrateStore(CliCommand cli)
    {
        var from = new Option<string>("--from")
        {
            Description = "the store to copy: sqlite:PATH (the data folder, or its mizzen.db); no server may be running on it",
            HelpName = "sqlite:PATH",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "an empty PostgreSQL database: postgres:CONNECTION (e.g. postgres:Host=db;Database=mizzen;Username=mizzen)",
            HelpName = "postgres:CONNECTION",
            Required = true,
        };
        var command = new Command(
            "migrate-store",
            "Copy a whole store (applications, pipelines, runs, queue, canary configs and reports) from SQLite into an empty PostgreSQL, then verify the counts")
        {
            from, to,
        };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            try
            {
                var source = StoreLocation.Parse("--from", context.Value(from));
                var target = StoreLocation.Parse("--to", context.Value(to));
                var report = await StoreMigration.RunAsync(source, target, context.Json ? null : count => WriteCount(context.Out, count), cancellationToken);
                if (context.Json)
                {
                    context.WriteJson(Json(report));
                }
                else
                {
                    context.Out.WriteLine(
                        $"migrated {report.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows from {report.From} to {report.To}; counts verified");
                }

                return ExitCodes.Success;
            }
            catch (StoreMigrationException e)
            {
                throw new CliException(e.Message, e.Kind is ErrorKind.Invalid or ErrorKind.NotFound ? ExitCodes.Usage : ExitCodes.Failed);
            }
        });
        return command;
    }

    private static void WriteCount(TextWriter output, TableCount count) =>
        output.WriteLine($"{count.Table,-26} {count.Target.ToString("N0", CultureInfo.InvariantCulture),12}{(count.Note is null ? "" : $"  ({count.Note})")}");

    private static JsonObject Json(MigrationReport report) => new()
    {
        ["from"] = report.From.ToString(),
        ["to"] = report.To.ToString(),
        ["rows"] = report.Rows,
        ["tables"] = new JsonArray(report.Tables.Select(t => (JsonNode)new JsonObject
        {
            ["table"] = t.Table,
            ["source"] = t.Source,
            ["target"] = t.Target,
            ["note"] = t.Note,
        }).ToArray()),
    };
}
