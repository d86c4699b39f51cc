using System.CommandLine;

namespace Mizzen.Cli.Canary;

/// <summary>
/// <c>mizzen canary judge</c>: scores a canary offline from a config and the two groups' metric data;
/// <c>mizzen canary report</c>: prints a stored run's report from the server; <c>mizzen canary dry-run</c>: a config's queries and what they return.
/// </summary>
internal static class CanaryCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("canary", "Canary analysis: judge offline, show a run's report, dry-run a config", Judge(cli), CanaryReportCommand.Create(cli), CanaryDryRunCommand.Create(cli));

    private static Command Judge(CliCommand cli)
    {
        var config = new Option<string>("--config") { Description = "canary config JSON (Kayenta's format)", HelpName = "CONFIG.json", Required = true };
        var control = new Option<string>("--control") { Description = "control group data: {\"metric\": [values...]}", HelpName = "CONTROL.json", Required = true };
        var experiment = new Option<string>("--experiment") { Description = "experiment group data: {\"metric\": [values...]}", HelpName = "EXPERIMENT.json", Required = true };
        var thresholds = new Option<string?>("--thresholds") { Description = "pass and marginal scores (default: the config's, else 75,50)", HelpName = "PASS,MARGINAL" };
        var command = new Command("judge", "Judge a canary from files: score, classification, and each metric") { config, control, experiment, thresholds };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var scores = LocalCanaryJudge.ParseThresholds(context.Value(thresholds));
            var (json, table) = LocalCanaryJudge.Judge(
                await InputFiles.ReadJsonTextAsync(context.Value(config)!, context.Error, cancellationToken),
                await InputFiles.ReadJsonTextAsync(context.Value(control)!, context.Error, cancellationToken),
                await InputFiles.ReadJsonTextAsync(context.Value(experiment)!, context.Error, cancellationToken),
                scores);
            if (context.Json)
            {
                context.WriteJson(json);
            }
            else
            {
                context.Out.Write(table.EndsWith('\n') ? table : table + "\n");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
