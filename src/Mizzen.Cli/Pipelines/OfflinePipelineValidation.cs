using Mizzen.Canary;
using Mizzen.Canary.Stage;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Cli.Pipelines;

/// <summary>The one place the CLI calls the engine's offline pipeline validator (no server needed).</summary>
internal static class OfflinePipelineValidation
{
    /// <summary>Every stage type the server knows, except that cloud providers (accounts) are the server's business.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(string json) =>
        PipelineValidator.ValidateOffline(json, services =>
        {
            services.AddMizzenCanary();
            services.AddKayentaCanaryStage();
        });
}
