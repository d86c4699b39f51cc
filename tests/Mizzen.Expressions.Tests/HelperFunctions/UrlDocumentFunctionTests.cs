using Mizzen.Core.Expressions;
using Mizzen.Expressions.Tests.Safety;

namespace Mizzen.Expressions.Tests.HelperFunctions;

/// <summary><c>#yamlFromUrl</c> and <c>#propertiesFromUrl</c> against a real loopback server the operator allowed.</summary>
public sealed class UrlDocumentFunctionTests
{
    private static readonly ExpressionScope Empty = new(Root: []);

    private static SpelExpressionEvaluator AllowingLoopback() => TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));

    [Fact]
    public async Task YamlFromUrl_returns_the_document_as_typed_values()
    {
        const string Yaml = "replicas: 3\nimage:\n  name: web\n  tag: '1.2.3'\nregions:\n  - us-east-1\n  - eu-west-1\ncanary: true\n";
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok(Yaml, "application/yaml"));
        using var evaluator = AllowingLoopback();
        var url = $"http://127.0.0.1:{server.Port}/app.yml";

        evaluator.Evaluate($"#yamlFromUrl('{url}').replicas + 1", Empty).Value!.GetValue<int>().ShouldBe(4);
        evaluator.Evaluate($"#yamlFromUrl('{url}').image.tag", Empty).Value!.GetValue<string>().ShouldBe("1.2.3");
        evaluator.Evaluate($"#yamlFromUrl('{url}').regions[1]", Empty).Value!.GetValue<string>().ShouldBe("eu-west-1");
        evaluator.Evaluate($"#yamlFromUrl('{url}').canary", Empty).Value!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task YamlFromUrl_of_invalid_yaml_fails_with_the_parse_error()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("key: [unclosed\nother: {"));
        using var evaluator = AllowingLoopback();

        var result = evaluator.Evaluate($"#yamlFromUrl('http://127.0.0.1:{server.Port}/bad.yml')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("#yamlFromUrl(url) failed: the text is not valid YAML");
    }

    [Fact]
    public async Task PropertiesFromUrl_reads_java_properties_into_a_map_of_strings()
    {
        const string Properties = "# comment\n! also a comment\nimage.tag=1.2.3\nreplicas: 3\n  region = us-east-1  \nlong=first \\\n    second\nflag\n";
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok(Properties));
        using var evaluator = AllowingLoopback();

        var result = evaluator.Evaluate($"#propertiesFromUrl('http://127.0.0.1:{server.Port}/app.properties')", Empty);

        result.Error.ShouldBeNull();
        var map = result.Value!.AsObject();
        map.Select(p => p.Key).ShouldBe(["image.tag", "replicas", "region", "long", "flag"], ignoreOrder: true);
        map["image.tag"]!.GetValue<string>().ShouldBe("1.2.3");
        map["replicas"]!.GetValue<string>().ShouldBe("3");
        map["region"]!.GetValue<string>().ShouldBe("us-east-1");
        map["long"]!.GetValue<string>().ShouldBe("first second");
        map["flag"]!.GetValue<string>().ShouldBe("");
    }

    [Fact]
    public async Task PropertiesFromUrl_of_a_missing_document_fails_with_the_http_status()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Status(404, "Not Found"));
        using var evaluator = AllowingLoopback();

        var result = evaluator.Evaluate($"#propertiesFromUrl('http://127.0.0.1:{server.Port}/missing.properties')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("failed: HTTP 404 Not Found");
    }
}
