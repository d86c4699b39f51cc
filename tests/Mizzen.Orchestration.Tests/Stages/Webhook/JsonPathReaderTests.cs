using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Stages.Webhook;

namespace Mizzen.Orchestration.Tests.Stages.Webhook;

public sealed class JsonPathReaderTests
{
    private static readonly JsonNode Body = JsonNode.Parse("""{"a": {"b": "x", "list": [{"b": 1}, {"b": 2}]}, "odd key": true, "top": [10, 20]}""")!;

    [Theory]
    [InlineData("$.a.b", "x")]
    [InlineData("a.b", "x")]
    [InlineData("$.a.list[0].b", "1")]
    [InlineData("$.a.list[-1].b", "2")]
    [InlineData("$['a']['b']", "x")]
    [InlineData("$[\"odd key\"]", "true")]
    [InlineData("$.top[1]", "20")]
    public void The_supported_subset_reads_values(string path, string expected) =>
        JsonPathReader.Read(Body, path).AsString().ShouldBe(expected);

    [Theory]
    [InlineData("$.missing.b")]
    [InlineData("$.a.list[5].b")]
    [InlineData("$.a.b.c")]
    public void A_path_that_does_not_exist_reads_null(string path) => JsonPathReader.Read(Body, path).ShouldBeNull();

    [Theory]
    [InlineData("$..b")]
    [InlineData("$.a.*")]
    [InlineData("$.a.list[?(@.b > 1)]")]
    public void Unsupported_syntax_is_rejected_with_a_message(string path) =>
        Should.Throw<FormatException>(() => JsonPathReader.Parse(path)).Message.ShouldContain("is not supported");
}
