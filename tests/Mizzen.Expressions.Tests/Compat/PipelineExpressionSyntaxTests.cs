using System.Text.Json.Nodes;
using Mizzen.Testing;

namespace Mizzen.Expressions.Tests.Compat;

/// <summary>Every <c>${ }</c> in every string of shared/compat/pipelines/*.json parses.</summary>
public sealed class PipelineExpressionSyntaxTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    public static TheoryData<string> PipelineFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(CompatData.PathOf("pipelines"), "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public void Every_expression_in_the_pipeline_parses(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(CompatData.PathOf("pipelines", file)));
        var errors = Strings(json).Where(s => s.Contains("${", StringComparison.Ordinal))
            .SelectMany(s => evaluator.CheckSyntax(s))
            .Select(e => e.ToString())
            .ToList();

        errors.ShouldBeEmpty();
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    public void Dispose() => evaluator.Dispose();
}
