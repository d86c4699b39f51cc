using Mizzen.Core.Errors;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Cli.Pipelines;

/// <summary>The one place the CLI calls the engine's offline pipeline validator (no server needed).</summary>
internal static class OfflinePipelineValidation
{
    public static IReadOnlyList<ValidationProblem> Validate(string json) => PipelineValidator.ValidateOffline(json);
}
