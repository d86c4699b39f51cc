namespace Mizzen.Orchestration.Validation;

/// <summary>
/// Registered only by <see cref="PipelineValidator.ValidateOffline"/> (the CLI's <c>pipeline validate</c>), which runs without the
/// server's configuration. A stage validation whose verdict depends on that configuration (a helm binary for HELM bakes) takes it as
/// an optional constructor argument and reports a warning instead of an error when it is present: only the server can refuse.
/// </summary>
public sealed class OfflineValidation;
