using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Webhook;

namespace Mizzen.Triggers.Tests;

/// <summary>Webhook events through the dispatcher into the real engine's store (runs are stored, not run: no worker).</summary>
public abstract class WebhookTriggerTests(StoreBackend backend) : IAsyncLifetime
{
    private TriggerServices triggers = null!;
    private IServiceProvider services = null!;
    private TriggerDispatcher dispatcher = null!;
    private IPipelineConfigStore configs = null!;

    public async Task InitializeAsync()
    {
        triggers = await TriggerServices.CreateAsync(backend, TestTime.Clock(), "mizzen-triggers");
        services = triggers.Provider;
        dispatcher = triggers.Get<TriggerDispatcher>();
        configs = triggers.Get<IPipelineConfigStore>();
    }

    public async Task DisposeAsync() => await triggers.DisposeAsync();

    private Task SaveAsync(string json) => configs.SaveAsync(PipelineConfig.Parse(json), "tester", CancellationToken.None);

    private static TriggerEvent Post(string source, string body, string id = "delivery-1") =>
        WebhookTriggerType.EventFor(source, JsonNode.Parse(body)!.AsObject(), id, "127.0.0.1");

    private const string Deploy = """
        {"id":"deploy","application":"shop","name":"deploy",
         "parameterConfig":[{"name":"env","default":"staging"}],
         "triggers":[{"type":"webhook","enabled":true,"source":"ci","payloadConstraints":{"branch":"^main$"}}],
         "stages":[{"refId":"1","type":"wait","name":"w","waitTime":1}]}
        """;

    [Fact]
    public async Task A_matching_post_starts_the_pipeline_with_payload_parameters_and_artifacts_in_its_trigger()
    {
        await SaveAsync(Deploy);

        var outcomes = await dispatcher.DispatchAsync(Post("CI", """
            {"branch":"main","parameters":{"env":"prod"},"artifacts":[{"type":"docker/image","name":"shop","version":"v9"}]}
            """), CancellationToken.None);

        var outcome = outcomes.ShouldHaveSingleItem();
        outcome.Result.ShouldBe("started");
        var run = (await services.GetRequiredService<IExecutionStore>().GetAsync(outcome.ExecutionId!, CancellationToken.None))!;
        run.Trigger["type"]!.GetValue<string>().ShouldBe("webhook");
        run.Trigger["source"]!.GetValue<string>().ShouldBe("ci");
        run.Trigger["payload"]!["branch"]!.GetValue<string>().ShouldBe("main");
        run.Trigger["parameters"]!["env"]!.GetValue<string>().ShouldBe("prod");
        run.Trigger["artifacts"]![0]!["version"]!.GetValue<string>().ShouldBe("v9");
        run.Trigger["user"]!.GetValue<string>().ShouldBe(TriggerDispatcher.AnonymousUser);
        run.Trigger["eventId"]!.GetValue<string>().ShouldBe("delivery-1");
    }

    [Fact]
    public async Task A_redelivered_event_starts_one_run_and_says_it_was_a_duplicate()
    {
        await SaveAsync(Deploy);

        var first = (await dispatcher.DispatchAsync(Post("ci", """{"branch":"main"}"""), CancellationToken.None)).ShouldHaveSingleItem();
        var again = (await dispatcher.DispatchAsync(Post("ci", """{"branch":"main"}"""), CancellationToken.None)).ShouldHaveSingleItem();
        var next = (await dispatcher.DispatchAsync(Post("ci", """{"branch":"main"}""", "delivery-2"), CancellationToken.None)).ShouldHaveSingleItem();

        again.Result.ShouldBe("duplicate");
        again.ExecutionId.ShouldBe(first.ExecutionId);
        next.Result.ShouldBe("started");
        next.ExecutionId.ShouldNotBe(first.ExecutionId);
        (await RunsAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task A_failed_constraint_starts_nothing_and_the_trigger_status_says_why()
    {
        await SaveAsync(Deploy);

        var outcome = (await dispatcher.DispatchAsync(Post("ci", """{"branch":"feature/x"}"""), CancellationToken.None)).ShouldHaveSingleItem();

        outcome.Result.ShouldBe("skipped");
        outcome.Reason.ShouldBe("payloadConstraints: 'branch' is 'feature/x', which does not match '^main$'");
        (await RunsAsync()).ShouldBe(0);
        var stored = await services.GetRequiredService<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        stored.ShouldNotBeNull().Reason.ShouldBe(outcome.Reason);
        stored.Event.ShouldBe("webhook 'ci' from 127.0.0.1");
    }

    [Fact]
    public async Task Another_source_is_not_addressed_and_leaves_no_status()
    {
        await SaveAsync(Deploy);

        (await dispatcher.DispatchAsync(Post("other", """{"branch":"main"}"""), CancellationToken.None)).ShouldBeEmpty();
        (await services.GetRequiredService<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None)).ShouldBeNull();
    }

    [Theory]
    [InlineData("\"enabled\":false,", "", "the trigger is not enabled")]
    [InlineData("", "", "the trigger is not enabled")] // Spinnaker: a trigger fires only with "enabled": true
    [InlineData("\"enabled\":true,", "\"disabled\":true,", "the pipeline is disabled")]
    public async Task A_disabled_trigger_or_pipeline_starts_nothing(string enabled, string disabled, string reason)
    {
        await SaveAsync($$"""
            {"id":"p","application":"shop","name":"p",{{disabled}}
             "triggers":[{"type":"webhook",{{enabled}}"source":"ci"}],"stages":[]}
            """);

        var outcome = (await dispatcher.DispatchAsync(Post("ci", "{}"), CancellationToken.None)).ShouldHaveSingleItem();

        outcome.Result.ShouldBe("skipped");
        outcome.Reason!.ShouldStartWith(reason);
        (await RunsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Expected_artifacts_gate_the_trigger_and_bind_in_the_run()
    {
        await SaveAsync("""
            {"id":"img","application":"shop","name":"img",
             "expectedArtifacts":[{"id":"image","displayName":"shop image","matchArtifact":{"type":"docker/image","name":"gcr.io/p/shop"}}],
             "triggers":[{"type":"webhook","enabled":true,"source":"registry","expectedArtifactIds":["image"]}],
             "stages":[]}
            """);

        var without = (await dispatcher.DispatchAsync(Post("registry", """{"artifacts":[{"type":"docker/image","name":"gcr.io/p/other"}]}"""), CancellationToken.None))
            .ShouldHaveSingleItem();
        var with = (await dispatcher.DispatchAsync(Post("registry", """{"artifacts":[{"type":"docker/image","name":"gcr.io/p/shop","version":"v2"}]}""", "d2"), CancellationToken.None))
            .ShouldHaveSingleItem();

        without.Result.ShouldBe("skipped");
        without.Reason!.ShouldContain("matches the trigger's expected artifacts (image)");
        with.Result.ShouldBe("started");
        var run = (await services.GetRequiredService<IExecutionStore>().GetAsync(with.ExecutionId!, CancellationToken.None))!;
        run.Trigger["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!["version"]!.GetValue<string>().ShouldBe("v2");
    }

    [Fact]
    public async Task A_trigger_added_by_a_later_save_is_seen_by_the_next_event()
    {
        (await dispatcher.DispatchAsync(Post("ci", """{"branch":"main"}"""), CancellationToken.None)).ShouldBeEmpty();

        await SaveAsync(Deploy);

        (await dispatcher.DispatchAsync(Post("ci", """{"branch":"main"}""", "d2"), CancellationToken.None)).ShouldHaveSingleItem().Result.ShouldBe("started");
    }

    [Fact]
    public async Task A_run_that_cannot_start_is_a_failed_outcome_and_other_triggers_still_fire()
    {
        await SaveAsync(Deploy);
        await SaveAsync("""
            {"id":"strict","application":"shop","name":"strict","parameterConfig":[{"name":"version","required":true}],
             "triggers":[{"type":"webhook","enabled":true,"source":"ci"}],"stages":[]}
            """);

        var outcomes = await dispatcher.DispatchAsync(Post("ci", """{"branch":"main"}"""), CancellationToken.None);

        outcomes.Single(o => o.Pipeline == "strict").Result.ShouldBe("failed");
        outcomes.Single(o => o.Pipeline == "strict").Reason!.ShouldContain("required parameter 'version'");
        outcomes.Single(o => o.Pipeline == "deploy").Result.ShouldBe("started");
    }

    private async Task<int> RunsAsync() =>
        (await services.GetRequiredService<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop", Limit = 100 }, CancellationToken.None)).Count;
}

public sealed class WebhookTriggerTestsOnSqlite() : WebhookTriggerTests(StoreBackend.Sqlite);

public sealed class WebhookTriggerTestsOnPostgres() : WebhookTriggerTests(StoreBackend.Postgres);
