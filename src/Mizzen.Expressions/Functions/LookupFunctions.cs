using Mizzen.Expressions.Evaluation;
using static Mizzen.Expressions.Functions.FunctionArguments;

namespace Mizzen.Expressions.Functions;

/// <summary>
/// Functions that read data Mizzen stores elsewhere, through the lookups given to the evaluator:
/// <c>#pipelineId</c>, <c>#pipelineIdOrNull</c>, <c>#pipelineIdInApplication</c>, <c>#applicationMetadata</c>, <c>#canaryConfigNameToId</c>.
/// </summary>
internal static class LookupFunctions
{
    public static void Register(ExpressionFunctionRegistry registry)
    {
        registry.Add("pipelineId", (args, state) =>
        {
            Count(args, 1, "#pipelineId(name)");
            var application = Execution(state, "#pipelineId(name)").Application;
            var name = Text(args, 0, "#pipelineId(name)");
            return Pipelines(state).FindPipelineId(application, name)
                   ?? throw new ExpressionFunctionException($"Pipeline with name '{name}' could not be found on application {application}");
        }, executionAware: true);
        registry.Add("pipelineIdOrNull", (args, state) =>
        {
            Count(args, 1, "#pipelineIdOrNull(name)");
            return Pipelines(state).FindPipelineId(Execution(state, "#pipelineIdOrNull(name)").Application, Text(args, 0, "#pipelineIdOrNull(name)"));
        }, executionAware: true);
        registry.Add("pipelineIdInApplication", (args, state) =>
        {
            Count(args, 2, "#pipelineIdInApplication(name, application)");
            return Pipelines(state).FindPipelineId(
                Text(args, 1, "#pipelineIdInApplication(name, application)"), Text(args, 0, "#pipelineIdInApplication(name, application)"));
        }, executionAware: true);
        registry.Add("applicationMetadata", (args, state) =>
        {
            Count(args, 1, "#applicationMetadata(application)");
            var lookup = state.Environment.Lookups.Applications
                         ?? throw new ExpressionFunctionException("#applicationMetadata is not available: no application store is configured");
            var name = Text(args, 0, "#applicationMetadata(application)");
            return lookup.FindApplication(name) ?? throw new ExpressionFunctionException($"Application '{name}' could not be found");
        });
        registry.Add("canaryConfigNameToId", (args, state) =>
        {
            Count(args, 2, "#canaryConfigNameToId(name, application)");
            var lookup = state.Environment.Lookups.CanaryConfigs
                         ?? throw new ExpressionFunctionException("#canaryConfigNameToId is not available: no canary config store is configured");
            var (name, application) = (Text(args, 0, "#canaryConfigNameToId(name, application)"), Text(args, 1, "#canaryConfigNameToId(name, application)"));
            return lookup.FindCanaryConfigId(name, application)
                   ?? throw new ExpressionFunctionException($"Unable to find canary config with name '{name}' in application '{application}'");
        });
    }

    private static IPipelineConfigLookup Pipelines(EvaluationState state) =>
        state.Environment.Lookups.Pipelines
        ?? throw new ExpressionFunctionException("pipeline lookups are not available: no pipeline store is configured");
}
