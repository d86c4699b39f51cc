using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Tests.Safety;

public sealed class UrlRestrictionTests
{
    private static readonly ExpressionScope Empty = new(Root: []);

    [Fact]
    public async Task Loopback_server_is_refused_by_default()
    {
        await using var server = new LoopbackHttpServer("hello");
        using var evaluator = TestEvaluators.Create();

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/config')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("loopback");
        server.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task Host_name_resolving_to_loopback_is_refused_after_resolution()
    {
        await using var server = new LoopbackHttpServer("hello");
        using var evaluator = TestEvaluators.Create();

        var result = evaluator.Evaluate($"#fromUrl('http://localhost.:{server.Port}/')", Empty);

        result.Error.ShouldNotBeNull();
        server.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task Loopback_server_is_fetched_when_its_host_is_allowed()
    {
        await using var server = new LoopbackHttpServer("{\"env\": \"prod\"}");
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));

        var text = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/')", Empty);
        var json = evaluator.Evaluate($"#jsonFromUrl('http://127.0.0.1:{server.Port}/').env", Empty);

        text.Value!.GetValue<string>().ShouldBe("{\"env\": \"prod\"}");
        json.Value!.GetValue<string>().ShouldBe("prod");
        server.LastRequestHeaders.ShouldNotBeNull().ShouldNotContain("Authorization", Case.Insensitive);
        server.LastRequestHeaders.ShouldNotContain("Cookie", Case.Insensitive);
    }

    [Fact]
    public async Task Response_larger_than_the_cap_is_refused()
    {
        await using var server = new LoopbackHttpServer(new string('x', 5000));
        using var evaluator = TestEvaluators.Create(o =>
        {
            o.Url.AllowedHosts.Add("127.0.0.1");
            o.Url.MaxResponseBytes = 1000;
        });

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("larger than 1000 bytes");
    }

    [Theory]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("ftp://example.com/x", "scheme")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://[::1]/", "::1")]
    [InlineData("http://0.0.0.0/", "0.0.0.0")]
    [InlineData("http://user:secret@example.com/", "credentials")]
    [InlineData("http://metadata.google.internal/", "metadata")]
    public void Restricted_urls_are_refused_before_any_request(string url, string reason)
    {
        using var evaluator = TestEvaluators.Create();

        var result = evaluator.Process(JsonValue.Create($"${{#fromUrl('{url}')}}"), Empty);

        var failure = result.Summary.Failures.Single().Value.Single();
        failure.Level.ShouldBe(ExpressionFailure.Error);
        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain(reason);
    }

    [Fact]
    public void Url_functions_can_be_disabled()
    {
        using var evaluator = TestEvaluators.Create(o => o.Url.Enabled = false);

        evaluator.Evaluate("#fromUrl('https://example.com/')", Empty).Error.ShouldNotBeNull().ShouldContain("disabled");
    }
}
