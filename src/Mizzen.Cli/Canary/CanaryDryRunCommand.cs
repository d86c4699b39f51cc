using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Canary;

/// <summary>
/// <c>mizzen canary dry-run CONFIG_ID --control SCOPE --experiment SCOPE [--location L] [-p name=value] [--start T] [--end T] [--step S]
/// [--judge PASS,MARGINAL]</c>: the server's dry run (<c>POST /v2/canaries/canaryConfig/{id}/dryRun</c>) — each metric's exact control and
/// experiment query, how many points came back and the problems found; with <c>--judge</c>, the judge's verdict on the window.
/// The same pair of scopes is used for every scope name the config's metrics use. <c>-o json</c>: the API's answer.
/// </summary>
internal static class CanaryDryRunCommand
{
    public static Command Create(CliCommand cli)
    {
        var id = new Argument<string>("CONFIG_ID") { Description = "the canary config's id" };
        var control = new Option<string>("--control") { Description = "control scope (a server group)", HelpName = "SCOPE", Required = true };
        var experiment = new Option<string>("--experiment") { Description = "experiment scope (a server group)", HelpName = "SCOPE", Required = true };
        var location = new Option<string?>("--location") { Description = "the scopes' location (the metrics account, e.g. local)", HelpName = "LOCATION" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "a scope parameter for query templates (repeatable)", HelpName = "name=value" };
        var start = new Option<string?>("--start") { Description = "window start, ISO-8601 (default: 30 minutes before the end)", HelpName = "TIME" };
        var end = new Option<string?>("--end") { Description = "window end, ISO-8601 (default: now)", HelpName = "TIME" };
        var step = new Option<int>("--step") { Description = "seconds between points (default 60)", HelpName = "SECONDS", DefaultValueFactory = _ => 60 };
        var judge = new Option<string?>("--judge") { Description = "also judge the window with these scores", HelpName = "PASS,MARGINAL" };
        var command = new Command("dry-run", "Show a canary config's queries for two scopes, what they return and, with --judge, the verdict")
        {
            id, control, experiment, location, parameters, start, end, step, judge,
        };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var configId = context.Value(id).Trim();
            var config = Answers.Object(await context.Client.GetAsync(ApiPath.Of("v2", "canaries", "canaryConfig", configId), cancellationToken), "the canary config");
            var endText = context.Value(end) ?? Iso(context.Clock.GetUtcNow());
            var startText = context.Value(start)
                ?? (DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e) ? Iso(e.AddMinutes(-30)) : endText);
            var scopeParams = new JsonObject();
            foreach (var pair in context.Value(parameters) ?? [])
            {
                var cut = pair.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0)
                {
                    throw CliException.Usage($"--param '{pair}' is not name=value");
                }

                scopeParams[pair[..cut]] = pair[(cut + 1)..];
            }

            JsonObject Side(string scope) => new()
            {
                ["scope"] = scope, ["location"] = context.Value(location), ["start"] = startText, ["end"] = endText, ["step"] = context.Value(step),
                ["extendedScopeParams"] = scopeParams.DeepClone(),
            };
            var scopes = new JsonObject();
            foreach (var name in ScopeNames(config))
            {
                scopes[name] = new JsonObject { ["controlScope"] = Side(context.Value(control)!), ["experimentScope"] = Side(context.Value(experiment)!) };
            }

            var body = new JsonObject { ["scopes"] = scopes };
            if (LocalCanaryJudge.ParseThresholds(context.Value(judge)) is { } thresholds)
            {
                body["thresholds"] = new JsonObject { ["pass"] = thresholds.Pass, ["marginal"] = thresholds.Marginal };
            }

            var answer = Answers.Object(
                await context.Client.SendAsync(HttpMethod.Post, ApiPath.Of("v2", "canaries", "canaryConfig", configId, "dryRun"), body, cancellationToken), "the dry run");
            if (context.Json)
            {
                context.WriteJson(answer);
            }
            else
            {
                Write(context.Out, answer);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<string> ScopeNames(JsonObject config) =>
        (config["metrics"] as JsonArray ?? []).Select(m => m?["scopeName"].AsString() is { Length: > 0 } name ? name : "default").Distinct(StringComparer.Ordinal);

    /// <summary>Per metric: its queries with the points each returned, then its problems; then the verdict, when judged.</summary>
    private static void Write(TextWriter output, JsonObject answer)
    {
        foreach (var metric in answer["metrics"] as JsonArray ?? [])
        {
            output.WriteLine($"{metric?["name"].AsString()} ({metric?["type"].AsString() ?? "no query type"})");
            foreach (var side in new[] { "control", "experiment" })
            {
                if (metric?[side] is JsonObject s)
                {
                    output.WriteLine($"  {side,-10} {s["query"].AsString()}");
                    output.WriteLine($"  {"",-10} {s["series"].AsLong()} series, {s["nonNaNPoints"].AsLong()} of {s["points"].AsLong()} points with a value");
                }
            }

            foreach (var problem in metric?["problems"] as JsonArray ?? [])
            {
                output.WriteLine($"  problem: {problem.AsString()}");
            }
        }

        if (answer["judgment"] is JsonObject judgment)
        {
            output.WriteLine($"judged: score {judgment["score"].AsString() ?? "-"} {judgment["classification"].AsString()}");
            foreach (var metric in judgment["metrics"] as JsonArray ?? [])
            {
                output.WriteLine($"  {metric?["name"].AsString()}: {metric?["classification"].AsString()} — {metric?["reason"].AsString()}");
            }
        }
        else if (answer["notJudged"].AsString() is { } why)
        {
            output.WriteLine($"not judged: {why}");
        }
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
