using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;
using Mizzen.Expressions.Functions;
using Mizzen.Testing;

namespace Mizzen.Expressions.Tests.HelperFunctions;

/// <summary>
/// <c>#pipelineId</c>, <c>#pipelineIdOrNull</c>, <c>#pipelineIdInApplication</c>, <c>#applicationMetadata</c> and
/// <c>#canaryConfigNameToId</c>, through small in-memory lookups given to the evaluator.
/// </summary>
public sealed class LookupFunctionTests : IDisposable
{
    private readonly InMemoryStore store = new();
    private readonly SpelExpressionEvaluator evaluator;
    private readonly ExpressionScope webScope = new(new PipelineExecution { Id = "01WEB", Application = "web" });

    public LookupFunctionTests()
    {
        store.Pipelines[("web", "Deploy to prod")] = "pipe-web-prod";
        store.Pipelines[("billing", "Deploy to prod")] = "pipe-billing-prod";
        store.Applications["web"] = new JsonObject { ["name"] = "web", ["email"] = "web-team@example.com", ["cloudProviders"] = "kubernetes" };
        store.CanaryConfigs[("latency", "web")] = "canary-config-7";
        evaluator = new SpelExpressionEvaluator(new ExpressionOptions(), TestTime.Clock(), pipelineConfigs: store, applications: store, canaryConfigs: store);
    }

    [Fact]
    public void PipelineId_finds_the_pipeline_of_the_execution_application()
    {
        evaluator.Evaluate("#pipelineId('Deploy to prod')", webScope).Value!.GetValue<string>().ShouldBe("pipe-web-prod");
        store.Asked.ShouldContain(("web", "Deploy to prod"));
    }

    [Fact]
    public void PipelineId_of_an_unknown_pipeline_fails_with_the_orca_message()
    {
        var result = evaluator.Process(JsonValue.Create("${#pipelineId('Nope')}"), webScope);

        var failure = result.Summary.Failures.Values.SelectMany(f => f).ShouldHaveSingleItem();
        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain("Pipeline with name 'Nope' could not be found on application web");
        result.Value!.GetValue<string>().ShouldBe("${#pipelineId('Nope')}");
    }

    [Fact]
    public void PipelineIdOrNull_returns_the_id_or_null_without_an_error()
    {
        evaluator.Evaluate("#pipelineIdOrNull('Deploy to prod')", webScope).Value!.GetValue<string>().ShouldBe("pipe-web-prod");

        var missing = evaluator.Evaluate("#pipelineIdOrNull('Nope')", webScope);
        missing.Error.ShouldBeNull();
        missing.Value.ShouldBeNull();
        evaluator.Evaluate("#pipelineIdOrNull('Nope') == null", webScope).Value!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void PipelineIdInApplication_looks_in_the_named_application_and_is_null_when_not_found()
    {
        evaluator.Evaluate("#pipelineIdInApplication('Deploy to prod', 'billing')", webScope).Value!.GetValue<string>().ShouldBe("pipe-billing-prod");

        var missing = evaluator.Evaluate("#pipelineIdInApplication('Deploy to prod', 'payments')", webScope);
        missing.Error.ShouldBeNull();
        missing.Value.ShouldBeNull();
    }

    [Fact]
    public void PipelineId_without_an_execution_says_it_needs_one()
    {
        evaluator.Evaluate("#pipelineId('Deploy to prod')", new ExpressionScope(Root: []))
            .Error.ShouldNotBeNull().ShouldContain("#pipelineId(name) needs a pipeline execution");
    }

    [Fact]
    public void ApplicationMetadata_returns_the_application_as_a_map()
    {
        var scope = new ExpressionScope(Root: []);

        evaluator.Evaluate("#applicationMetadata('web').email", scope).Value!.GetValue<string>().ShouldBe("web-team@example.com");
        evaluator.Evaluate("#applicationMetadata('web')['cloudProviders']", scope).Value!.GetValue<string>().ShouldBe("kubernetes");
    }

    [Fact]
    public void ApplicationMetadata_of_an_unknown_application_fails()
    {
        evaluator.Evaluate("#applicationMetadata('ghost')", new ExpressionScope(Root: []))
            .Error.ShouldNotBeNull().ShouldContain("Application 'ghost' could not be found");
    }

    [Fact]
    public void CanaryConfigNameToId_returns_the_config_id_of_that_application()
    {
        evaluator.Evaluate("#canaryConfigNameToId('latency', 'web')", new ExpressionScope(Root: [])).Value!.GetValue<string>().ShouldBe("canary-config-7");
    }

    [Theory]
    [InlineData("#canaryConfigNameToId('errors', 'web')", "Unable to find canary config with name 'errors' in application 'web'")]
    [InlineData("#canaryConfigNameToId('latency', 'billing')", "Unable to find canary config with name 'latency' in application 'billing'")]
    public void CanaryConfigNameToId_of_an_unknown_config_fails(string expression, string message)
    {
        evaluator.Evaluate(expression, new ExpressionScope(Root: [])).Error.ShouldNotBeNull().ShouldContain(message);
    }

    [Theory]
    [InlineData("#pipelineId('Deploy to prod')", "no pipeline store is configured")]
    [InlineData("#pipelineIdOrNull('Deploy to prod')", "no pipeline store is configured")]
    [InlineData("#applicationMetadata('web')", "no application store is configured")]
    [InlineData("#canaryConfigNameToId('latency', 'web')", "no canary config store is configured")]
    public void Lookup_functions_without_a_store_fail_with_a_clear_message(string expression, string message)
    {
        using var bare = TestEvaluators.Create();

        bare.Evaluate(expression, webScope).Error.ShouldNotBeNull().ShouldContain(message);
    }

    public void Dispose() => evaluator.Dispose();

    private sealed class InMemoryStore : IPipelineConfigLookup, IApplicationLookup, ICanaryConfigLookup
    {
        public Dictionary<(string Application, string Name), string> Pipelines { get; } = [];

        public Dictionary<string, JsonObject> Applications { get; } = [];

        public Dictionary<(string Name, string Application), string> CanaryConfigs { get; } = [];

        public List<(string Application, string Name)> Asked { get; } = [];

        public string? FindPipelineId(string application, string pipelineName)
        {
            Asked.Add((application, pipelineName));
            return Pipelines.GetValueOrDefault((application, pipelineName));
        }

        public JsonObject? FindApplication(string application) =>
            Applications.TryGetValue(application, out var app) ? (JsonObject)app.DeepClone() : null;

        public string? FindCanaryConfigId(string configName, string application) => CanaryConfigs.GetValueOrDefault((configName, application));
    }
}
