using Microsoft.Extensions.DependencyInjection;
using Mizzen.Canary;
using Mizzen.Canary.Stage;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Cli.Pipelines;

/// <summary>The one place the CLI calls the engine's offline pipeline validator (no server needed).</summary>
internal static class OfflinePipelineValidation
{
    /// <summary>Every stage type the server knows; cloud providers are those Mizzen ships (<see cref="PipelineValidator.ShippedCloudProviders"/>). Errors and warnings.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(string json) =>
        PipelineValidator.ValidateOffline(json, services =>
        {
            services.AddMizzenCanary();
            services.AddKayentaCanaryStage();
            services.AddTriggerValidation();
            // The manifest stages, as the server registers them; no accounts: stage validation needs none, and no task runs here.
            services.AddKubernetesProvider(_ => { });
        });
}
