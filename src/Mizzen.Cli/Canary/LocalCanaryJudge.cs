using Mizzen.Canary;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;

namespace Mizzen.Cli.Canary;

/// <summary>The one place the CLI calls the canary judge's offline entry point (<see cref="OfflineCanaryJudge"/>).</summary>
internal static class LocalCanaryJudge
{
    /// <returns>The judged report as JSON (for <c>-o json</c>) and as a readable table.</returns>
    public static (System.Text.Json.Nodes.JsonObject Json, string Table) Judge(
        string configJson, string controlJson, string experimentJson, CanaryScoreThresholds? thresholds)
    {
        try
        {
            var report = OfflineCanaryJudge.Judge(configJson, controlJson, experimentJson, thresholds);
            return (OfflineCanaryJudge.ToJson(report), OfflineCanaryJudge.ToTable(report));
        }
        catch (CanaryConfigException e)
        {
            throw new CliException(e.Message, ExitCodes.Failed, e.Issues.Select(i => i.ToString()).ToList());
        }
    }

    /// <summary><c>--thresholds PASS,MARGINAL</c>; null when not given (the config's thresholds, else 75,50).</summary>
    public static CanaryScoreThresholds? ParseThresholds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return OfflineCanaryJudge.ParseThresholds(text);
        }
        catch (CanaryConfigException e)
        {
            throw CliException.Usage(e.Message);
        }
    }
}
