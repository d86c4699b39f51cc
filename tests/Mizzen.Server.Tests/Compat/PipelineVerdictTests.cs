using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Validation;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing;
using Xunit.Abstractions;

namespace Mizzen.Server.Tests.Compat;

/// <summary>
/// The bar for real pipelines: every file in shared/compat/pipelines and shared/compat/pipelines-wild loads and validates
/// without a crash, on the server (its providers registered: local, kubernetes) and offline (as <c>mizzen pipeline validate</c> does),
/// and each pipeline gets the verdict written down for it in <see cref="CompatVerdicts"/>: runnable or not, and why.
/// </summary>
public sealed class PipelineVerdictTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("pipelines")]
    [InlineData("pipelines-wild")]
    public async Task Every_compat_pipeline_gets_its_written_down_verdict_online_and_offline(string corpus)
    {
        var expected = corpus == "pipelines" ? CompatVerdicts.Pipelines : CompatVerdicts.Wild;
        var files = Directory.GetFiles(CompatData.PathOf(corpus), "*.json").Select(Path.GetFileName).OfType<string>().Order().ToList();
        files.ShouldBe(expected.Keys.Order(), ignoreOrder: false, $"every file in {corpus} needs a written-down verdict (and only those)");

        await using var server = await RunningServer.StartAsync();
        var online = server.Services.GetRequiredService<PipelineValidator>();
        var mismatches = new List<string>();
        var (pipelines, runnable) = (0, 0);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(CompatData.PathOf(corpus, file));
            var onlineProblems = online.CheckFile(text);
            var offlineProblems = Mizzen.Cli.Pipelines.OfflinePipelineValidation.Validate(text); // exactly what `mizzen pipeline validate` runs
            var verdicts = expected[file];
            for (var i = 0; i < verdicts.Length; i++)
            {
                var prefix = PrefixOf(text, i, verdicts.Length);
                foreach (var (where, problems) in new[] { ("online", onlineProblems), ("offline", offlineProblems) })
                {
                    var verdict = where == "offline" ? CompatVerdicts.Offline(verdicts[i]) : verdicts[i];
                    if (Judge(problems, prefix, verdict) is { } wrong)
                    {
                        mismatches.Add($"{file} #{i} ({where}): expected '{verdict}', {wrong}");
                    }
                }

                pipelines++;
                runnable += verdicts[i].StartsWith(CompatVerdicts.Runnable, StringComparison.Ordinal) ? 1 : 0;
            }

            output.WriteLine($"{file}: {string.Join(" | ", verdicts)}");
        }

        output.WriteLine($"{corpus}: {runnable} of {pipelines} pipelines runnable in {files.Count} files");
        mismatches.ShouldBeEmpty(string.Join("\n", mismatches));
    }

    /// <summary>Which problems belong to pipeline <paramref name="index"/>: <c>[i].</c> in a list, <c>pipelines[i].</c> in a dinghyfile.</summary>
    private static string? PrefixOf(string text, int index, int count)
    {
        var root = Mizzen.Core.Json.JsonInput.Parse(text).Root;
        return root switch
        {
            JsonArray => $"[{index}]",
            JsonObject o when o["pipelines"] is JsonArray && o["stages"] is null => $"pipelines[{index}]",
            _ => count == 1 ? null : throw new InvalidOperationException("one pipeline, several verdicts"),
        };
    }

    private static string? Judge(IReadOnlyList<ValidationProblem> all, string? prefix, string verdict)
    {
        // Problems of the whole file (a repeated key: "line 170, column 3") count for each pipeline in it.
        var mine = all.Where(p => prefix is null || p.Location == prefix || p.Location.StartsWith(prefix + ".", StringComparison.Ordinal)
                                  || p.Location.StartsWith("line ", StringComparison.Ordinal)).ToList();
        var errors = mine.Where(p => p.IsError).Select(p => p.ToString()).ToList();
        var warnings = mine.Where(p => !p.IsError).Select(p => p.ToString()).ToList();
        var runnable = verdict.StartsWith(CompatVerdicts.Runnable, StringComparison.Ordinal);
        var reason = verdict.Contains(": ", StringComparison.Ordinal) ? verdict[(verdict.IndexOf(": ", StringComparison.Ordinal) + 2)..] : null;
        if (runnable && errors.Count > 0)
        {
            return "got errors: " + string.Join("; ", errors);
        }

        if (!runnable && errors.Count == 0)
        {
            return "got no error" + (warnings.Count > 0 ? " (warnings: " + string.Join("; ", warnings) + ")" : "");
        }

        var pool = runnable ? warnings : errors;
        return reason is null || pool.Any(p => p.Contains(reason, StringComparison.Ordinal))
            ? null
            : $"no {(runnable ? "warning" : "error")} says '{reason}': " + string.Join("; ", pool);
    }
}
