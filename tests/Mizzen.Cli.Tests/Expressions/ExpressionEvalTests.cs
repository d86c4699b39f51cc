using System.Text.Json.Nodes;

namespace Mizzen.Cli.Tests.Expressions;

public sealed class ExpressionEvalTests : IDisposable
{
    private readonly TempFiles files = new();
    private readonly string context;

    public ExpressionEvalTests() =>
        context = files.Write("context.json", """{"parameters": {"env": "prod", "replicas": 3}, "trigger": {"user": "ana"}}""");

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task An_expression_is_evaluated_offline_against_the_context()
    {
        var result = await CliRunner.RunOfflineAsync("expression", "eval", "--context", context, "--expression", "${parameters.env}-${trigger.user}");

        result.ExitCode.ShouldBe(0, result.ToString());
        JsonNode.DeepEquals(JsonNode.Parse(result.Out), JsonNode.Parse("""{"result": "prod-ana", "summary": null}""")).ShouldBeTrue(result.Out);
    }

    [Fact]
    public async Task Every_expression_in_an_input_file_is_evaluated_keeping_result_types()
    {
        var input = files.Write("input.json", """{"cluster": {"env": "${parameters.env}", "size": "${parameters.replicas * 2}"}, "plain": 1}""");

        var result = await CliRunner.RunOfflineAsync("expression", "eval", "--context", context, "--input", input);

        result.ExitCode.ShouldBe(0, result.ToString());
        JsonNode.DeepEquals(JsonNode.Parse(result.Out)!["result"], JsonNode.Parse("""{"cluster": {"env": "prod", "size": 6}, "plain": 1}""")).ShouldBeTrue(result.Out);
    }

    [Fact]
    public async Task A_failing_expression_is_kept_and_reported_in_the_summary_with_exit_1()
    {
        var result = await CliRunner.RunOfflineAsync("expression", "eval", "--context", context, "--expression", "${1/0}");

        result.ExitCode.ShouldBe(1);
        var json = JsonNode.Parse(result.Out)!;
        json["result"]!.GetValue<string>().ShouldBe("${1/0}");
        json["summary"]!["1/0"]![0]!["level"]!.GetValue<string>().ShouldBe("ERROR");
    }

    [Theory]
    [InlineData]
    [InlineData("--expression", "x", "--input", "in.json")]
    public async Task Exactly_one_of_input_or_expression_is_required(params string[] extra)
    {
        var result = await CliRunner.RunOfflineAsync(["expression", "eval", "--context", context, .. extra]);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe("mizzen: give exactly one of --input FILE or --expression TEXT\n");
    }
}
