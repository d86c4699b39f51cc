using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Tests.Safety;

/// <summary>
/// Mizzen:Expressions:Url:AllowedHosts entries that name a port or a path trust exactly that, judged by the parsed URL
/// (the same <c>UrlAllowList</c> webhooks use), against real loopback servers.
/// </summary>
public sealed class UrlAllowListEntryTests
{
    private static readonly ExpressionScope Empty = new(Root: []);

    [Fact]
    public async Task An_entry_with_a_path_trusts_that_path_and_below_only()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("config"));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add($"http://127.0.0.1:{server.Port}/config"));

        evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/config')", Empty).Value!.GetValue<string>().ShouldBe("config");
        evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/config/app.yml')", Empty).Value!.GetValue<string>().ShouldBe("config");
        evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/configx')", Empty).Error.ShouldNotBeNull().ShouldContain("loopback");
        evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/admin')", Empty).Error.ShouldNotBeNull().ShouldContain("loopback");
        evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/config/../admin')", Empty).Error.ShouldNotBeNull().ShouldContain("loopback");

        server.Requests.Count.ShouldBe(2);
        server.Requests.ShouldAllBe(r => r.StartsWith("GET /config", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_from_a_trusted_path_to_another_path_on_the_same_server_is_refused()
    {
        await using var server = new ScriptedHttpServer(head =>
            head.StartsWith("GET /config/", StringComparison.Ordinal) ? ScriptedHttpServer.Redirect("/admin") : ScriptedHttpServer.Ok("secret"));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add($"http://127.0.0.1:{server.Port}/config"));

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/config/start')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("loopback");
        result.Error.ShouldNotContain("secret");
        server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_entry_with_a_port_does_not_trust_other_ports()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("hello"));
        var other = server.Port == 29712 ? 29713 : 29712;
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add($"127.0.0.1:{other}"));

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("loopback");
        server.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://127.0.0.1:{other}")]
    [InlineData("127.0.0.1:{other}")]
    [InlineData("127.0.0.1")]
    public async Task A_url_with_user_info_is_refused_whatever_the_entries(string entry)
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("hello"));
        var other = server.Port == 29712 ? 29713 : 29712;
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add(entry.Replace("{other}", $"{other}", StringComparison.Ordinal)));

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{other}@127.0.0.1:{server.Port}/')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("credentials");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_trailing_dot_or_upper_case_host_is_the_same_trusted_host()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("hello"));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("LOCALHOST."));

        evaluator.Evaluate($"#fromUrl('http://localhost:{server.Port}/')", Empty).Value!.GetValue<string>().ShouldBe("hello");
        evaluator.Evaluate($"#fromUrl('http://LocalHost:{server.Port}/')", Empty).Value!.GetValue<string>().ShouldBe("hello");
    }

    [Fact]
    public void A_bad_entry_is_refused_when_the_evaluator_is_built()
    {
        var error = Should.Throw<ArgumentException>(() => TestEvaluators.Create(o => o.Url.AllowedHosts.Add("http://user:pw@config.internal/")));

        error.Message.ShouldContain("Mizzen:Expressions:Url:AllowedHosts");
    }
}
