using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;
using Mizzen.Testing;

namespace Mizzen.Expressions.Tests.Safety;

/// <summary>What the URL helpers refuse, and what they never send.</summary>
public sealed class UrlFetchSafetyTests
{
    private static readonly ExpressionScope Empty = new(Root: []);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static readonly string[] FunctionNames = ["fromUrl", "jsonFromUrl", "yamlFromUrl", "propertiesFromUrl"];

    public static TheoryData<string> UrlFunctions => new(FunctionNames);

    [Theory]
    [InlineData("fromUrl", "file:///etc/passwd", "file")]
    [InlineData("jsonFromUrl", "file:///etc/passwd", "file")]
    [InlineData("yamlFromUrl", "ftp://example.com/config.yml", "ftp")]
    [InlineData("propertiesFromUrl", "gopher://example.com:70/_GET", "gopher")]
    [InlineData("fromUrl", "gopher://127.0.0.1:6379/_FLUSHALL", "gopher")]
    public void Non_http_schemes_are_refused(string function, string url, string scheme)
    {
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));

        var result = evaluator.Process(JsonValue.Create($"${{#{function}('{url}')}}"), Empty);

        var failure = result.Summary.Failures.Values.SelectMany(f => f).ShouldHaveSingleItem();
        failure.Level.ShouldBe(ExpressionFailure.Error);
        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain($"URL scheme '{scheme}' is not allowed; only http and https");
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254")]
    [InlineData("https://169.254.169.254/", "169.254.169.254")]
    [InlineData("http://169.254.170.2/v2/credentials", "169.254.170.2")]
    [InlineData("http://[fe80::1]/", "fe80::1")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254")]
    [InlineData("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254")]
    [InlineData("http://2852039166/", "169.254.169.254")]
    [InlineData("http://0xA9FEA9FE/", "169.254.169.254")]
    public void Link_local_and_cloud_metadata_addresses_are_refused_before_any_connection(string url, string address)
    {
        // A test clock that never moves: if a connection were attempted the fetch could only end by a network error,
        // never with the address refusal below, which is raised before connecting.
        using var evaluator = TestEvaluators.Create();

        foreach (var function in FunctionNames)
        {
            var result = evaluator.Evaluate($"#{function}('{url}')", Empty);

            result.Error.ShouldNotBeNull().ShouldContain($"resolves to {address}", customMessage: function);
            result.Error.ShouldContain("link-local");
        }
    }

    [Fact]
    public async Task Fetch_that_gets_no_answer_fails_at_the_url_timeout()
    {
        await using var server = new ScriptedHttpServer(_ => null);
        var clock = TestTime.Clock();
        using var evaluator = TestEvaluators.Create(o =>
        {
            o.Url.AllowedHosts.Add("127.0.0.1");
            o.Url.Timeout = TimeSpan.FromMilliseconds(250);
        }, clock);

        var fetching = Task.Run(() => evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/slow')", Empty));
        await server.FirstRequest.WaitAsync(Guard);
        fetching.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        var result = await fetching.WaitAsync(Guard);

        result.Error.ShouldNotBeNull().ShouldContain("no response within 0.25 s");
        result.Error.ShouldContain($"#fromUrl(http://127.0.0.1:{server.Port}/slow) failed");
    }

    [Fact]
    public async Task Redirect_from_an_allowed_host_to_a_loopback_name_is_refused_and_the_target_gets_no_request()
    {
        await using var target = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("secret"));
        await using var origin = new ScriptedHttpServer(_ => ScriptedHttpServer.Redirect($"http://localhost:{target.Port}/admin"));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{origin.Port}/start')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("host 'localhost' is not allowed");
        result.Error.ShouldNotContain("secret");
        origin.Requests.Count.ShouldBe(1);
        target.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "resolves to 169.254.169.254")]
    [InlineData("http://[fe80::1]:8080/", "resolves to fe80::1")]
    public async Task Redirect_from_an_allowed_host_to_a_metadata_address_is_refused(string location, string reason)
    {
        await using var origin = new ScriptedHttpServer(_ => ScriptedHttpServer.Redirect(location));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));

        var result = evaluator.Evaluate($"#jsonFromUrl('http://127.0.0.1:{origin.Port}/start')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain(reason);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("gopher://127.0.0.1:{0}/_FLUSHALL", "gopher")]
    [InlineData("ftp://127.0.0.1:{0}/", "ftp")]
    public async Task Redirect_to_a_non_http_scheme_is_refused_and_not_followed_as_http(string location, string scheme)
    {
        await using var target = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("secret"));
        await using var origin = new ScriptedHttpServer(_ => ScriptedHttpServer.Redirect(string.Format(CultureInfo.InvariantCulture, location, target.Port)));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{origin.Port}/start')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain($"URL scheme '{scheme}' is not allowed");
        target.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Relative_redirect_on_an_allowed_host_is_followed()
    {
        await using var server = new ScriptedHttpServer(head =>
            head.StartsWith("GET /old ", StringComparison.Ordinal) ? ScriptedHttpServer.Redirect("/new?x=1") : ScriptedHttpServer.Ok("moved here"));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/old')", Empty);

        result.Value!.GetValue<string>().ShouldBe("moved here");
        server.Requests.Select(r => r[..r.IndexOf('\r', StringComparison.Ordinal)]).ShouldBe(["GET /old HTTP/1.1", "GET /new?x=1 HTTP/1.1"]);
    }

    [Fact]
    public async Task Redirect_loop_stops_after_the_configured_number_of_redirects()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Redirect("/again"));
        using var evaluator = TestEvaluators.Create(o =>
        {
            o.Url.AllowedHosts.Add("127.0.0.1");
            o.Url.MaxRedirects = 2;
        });

        var result = evaluator.Evaluate($"#fromUrl('http://127.0.0.1:{server.Port}/start')", Empty);

        result.Error.ShouldNotBeNull().ShouldContain("more than 2 redirects");
        server.Requests.Count.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(UrlFunctions))]
    public async Task Disabled_url_functions_refuse_even_an_allowed_host_without_a_request(string function)
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("a: 1"));
        using var evaluator = TestEvaluators.Create(o =>
        {
            o.Url.AllowedHosts.Add("127.0.0.1");
            o.Url.Enabled = false;
        });

        var result = evaluator.Process(JsonValue.Create($"${{#{function}('http://127.0.0.1:{server.Port}/')}}"), Empty);

        var failure = result.Summary.Failures.Values.SelectMany(f => f).ShouldHaveSingleItem();
        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain("URL functions are disabled by configuration");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task No_credentials_or_user_identity_are_sent_for_an_authenticated_execution()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Ok("{\"ok\": true}", "application/json"));
        using var evaluator = TestEvaluators.Create(o => o.Url.AllowedHosts.Add("127.0.0.1"));
        var execution = new PipelineExecution
        {
            Id = "01AUTH",
            Application = "web",
            Authentication = new AuthenticationDetails { User = "alice@example.com", AllowedAccounts = ["prod"] },
        };
        var stage = new StageExecution
        {
            Id = "s1",
            Type = "wait",
            Context = new JsonObject { ["ok"] = $"${{#jsonFromUrl('http://127.0.0.1:{server.Port}/status').ok}}" },
        };
        execution.Stages.Add(stage);

        var result = evaluator.Process(stage.Context, new ExpressionScope(execution, stage, User: "alice@example.com"));

        result.Summary.HasFailures.ShouldBeFalse();
        result.Value!["ok"]!.GetValue<bool>().ShouldBeTrue();
        var request = server.Requests.ShouldHaveSingleItem();
        request.ShouldNotContain("Authorization", Case.Insensitive);
        request.ShouldNotContain("Cookie", Case.Insensitive);
        request.ShouldNotContain("X-SPINNAKER", Case.Insensitive);
        request.ShouldNotContain("alice", Case.Insensitive);
        request.ShouldStartWith("GET /status HTTP/1.1\r\n");
    }
}
