using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Secrets;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.Webhook;
using Mizzen.Orchestration.Tasks;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.Webhook;

/// <summary><c>${secret:name}</c> in a webhook stage: resolved only on the request, scrubbed from what comes back, refused where it does not belong.</summary>
public sealed class WebhookSecretTests(WebhookTestServer server) : IClassFixture<WebhookTestServer>, IDisposable
{
    private const string CiToken = "ci-9f8e7d6c5b4a";
    private const string OperatorToken = "op-0a1b2c3d4e5f";

    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly ServiceProvider services = new ServiceCollection().AddLogging()
        .AddMizzenSecrets(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mizzen:Secrets:ci-token"] = CiToken,
            ["Mizzen:Secrets:operator-token"] = OperatorToken,
            ["Mizzen:SecretStore:AllowedInPipelines:0"] = "ci-token",
        }).Build())
        .AddCoreStages().BuildServiceProvider();

    public void Dispose() => services.Dispose();

    private async Task<TaskResult> Create(string contextJson)
    {
        var stage = Stage("webhook", contextJson);
        return await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);
    }

    private WebhookStage Definition => new(services.GetRequiredService<ISecretStore>());

    [Fact]
    public async Task A_secret_in_a_header_and_the_payload_is_sent_and_scrubbed_from_the_echoed_response()
    {
        var result = await Create($$$"""
            {"url": "{{{server.BaseUrl}}}/hooks/echo", "customHeaders": {"Authorization": "Bearer ${secret:ci-token}"},
             "payload": {"token": "${secret:ci-token}", "note": "x"}}
            """);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
        var received = server.Received.Last(r => r.PathAndQuery == "/hooks/echo");
        received.Headers["Authorization"].ShouldBe([$"Bearer {CiToken}"]);
        received.Body.ShouldContain(CiToken);
        var kept = result.Context!.ToJsonString() + result.Outputs!.ToJsonString();
        kept.ShouldNotContain(CiToken);
        result.Outputs["webhook"]!["headers"]!["X-Echo-Authorization"].AsString().ShouldBe("Bearer ******");
    }

    [Fact]
    public async Task A_written_out_token_in_a_credential_header_ends_the_stage_without_sending_it()
    {
        var before = server.Received.Count;

        var result = await Create($$$"""{"url": "{{{server.BaseUrl}}}/hooks/ok", "customHeaders": {"X-Api-Key": "plain-key-123"}}""");

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!.ToJsonString(MizzenJson.Options).ShouldContain("customHeaders.X-Api-Key holds a credential written into the pipeline");
        result.Context.ToJsonString().ShouldNotContain("plain-key-123");
        server.Received.Count.ShouldBe(before);
    }

    [Fact]
    public async Task A_missing_secret_ends_the_stage_naming_it()
    {
        var result = await Create($$$"""{"url": "{{{server.BaseUrl}}}/hooks/ok", "customHeaders": {"Authorization": "${secret:nope}"}}""");

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!.ToJsonString(MizzenJson.Options).ShouldContain("secret 'nope' is not defined (looked for Mizzen:Secrets:nope, the environment variable MIZZEN_SECRET_NOPE)");
    }

    [Fact]
    public async Task An_operator_only_secret_cannot_be_used_from_a_pipeline()
    {
        var result = await Create($$$"""{"url": "{{{server.BaseUrl}}}/hooks/echo", "customHeaders": {"Authorization": "${secret:operator-token}"}}""");

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!.ToJsonString(MizzenJson.Options).ShouldContain("secret 'operator-token' may not be used from a pipeline's own fields");
        server.Received.ShouldNotContain(r => r.Headers.ContainsKey("Authorization") && r.Headers["Authorization"].Contains(OperatorToken));
    }

    [Fact]
    public void Validation_refuses_written_out_credentials_secrets_in_urls_and_unknown_or_operator_only_secrets()
    {
        var problems = Definition.Validate(MizzenJson.ParseObject("""
            {"url": "https://ci.example.com/hook?t=${secret:ci-token}",
             "customHeaders": {"Authorization": "Bearer abc123", "X-Auth-Token": "${parameters.token}", "X-Trace": "${execution.id}",
                               "Cookie": "${secret:ci-token}", "X-Api-Key": "${secret:missing}"},
             "payload": {"key": "${secret:operator-token}"}}
            """), "stages[0]").Select(p => p.ToString()).ToList();

        problems.ShouldContain(p => p.StartsWith("stages[0].customHeaders.Authorization: 'Authorization' carries a credential", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("stages[0].customHeaders.X-Auth-Token: 'X-Auth-Token' carries a credential", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("stages[0].url: a secret is never put in a URL", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("stages[0].customHeaders: secret 'missing' is not defined", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("stages[0].payload: secret 'operator-token' may not be used from a pipeline's own fields", StringComparison.Ordinal));
        problems.ShouldNotContain(p => p.Contains("X-Trace", StringComparison.Ordinal) || p.Contains("Cookie", StringComparison.Ordinal));
        problems.Count.ShouldBe(5, string.Join("\n", problems));
    }

    [Fact]
    public void Stored_and_shown_contexts_have_written_out_credential_headers_redacted_but_keep_references()
    {
        var context = MizzenJson.ParseObject("""
            {"customHeaders": {"Authorization": "Bearer abc123", "Cookie": "${secret:ci-token}", "X-Team": "blue"},
             "nested": [{"customHeaders": {"PRIVATE-TOKEN": ["t1", "t2"]}}]}
            """);

        CredentialHeaders.RedactInPlace(context).ShouldBeTrue();

        context["customHeaders"]!["Authorization"].AsString().ShouldBe(CredentialHeaders.Redacted);
        context["customHeaders"]!["Cookie"].AsString().ShouldBe("${secret:ci-token}");
        context["customHeaders"]!["X-Team"].AsString().ShouldBe("blue");
        context["nested"]![0]!["customHeaders"]!["PRIVATE-TOKEN"].AsString().ShouldBe(CredentialHeaders.Redacted);
    }

    [Fact]
    public void A_secret_reference_is_not_an_expression_and_survives_evaluation_as_written()
    {
        var evaluator = new Mizzen.Expressions.SpelExpressionEvaluator(new(), TimeProvider.System);
        var context = MizzenJson.ParseObject("""{"a": "${secret:ci-token}", "b": "Bearer ${secret:ci-token} for ${'x'.toUpperCase()}"}""");

        var result = evaluator.Process(context, new Core.Expressions.ExpressionScope(Root: new JsonObject()));

        result.Summary.HasFailures.ShouldBeFalse();
        result.Value!["a"].AsString().ShouldBe("${secret:ci-token}");
        result.Value!["b"].AsString().ShouldBe("Bearer ${secret:ci-token} for X");
        evaluator.CheckSyntax("${secret:ci-token}").ShouldBeEmpty();
    }
}
