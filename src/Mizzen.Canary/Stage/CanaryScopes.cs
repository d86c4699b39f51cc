using Mizzen.Canary.Runs;
using Mizzen.Canary.Sources;
using Mizzen.Core.Model;

namespace Mizzen.Canary.Stage;

/// <summary>
/// The scopes an interval compares, keyed by <c>scopeName</c>. With a <c>deployments</c> block a missing control or
/// experiment scope defaults to the server group the stage deployed for it, and a missing location to its account.
/// </summary>
public static class CanaryScopes
{
    public static IReadOnlyDictionary<string, MetricScopePair> Resolve(KayentaCanaryContext canary, PipelineExecution execution, StageExecution stage, CanaryInterval interval)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(stage);
        var deployments = CanaryDeployments.Read(stage.Context);
        var deployed = deployments is null ? null : CanaryDeployments.Deployed(execution, stage, deployments);
        IReadOnlyList<CanaryScopeSpec> specs = canary.Scopes.Count > 0 || deployed is null
            ? canary.Scopes
            : [new CanaryScopeSpec("default", null, null, null, null, null, null, canary.Settings.StepSeconds, new Dictionary<string, string>())];
        if (specs.Count == 0)
        {
            throw KayentaCanaryContext.Invalid("canaryConfig.scopes", "at least one scope (controlScope and experimentScope) is required unless the stage has a 'deployments' block");
        }

        var result = new Dictionary<string, MetricScopePair>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (deployed is not null)
            {
                spec = spec with
                {
                    ControlScope = spec.ControlScope ?? deployed.Control,
                    ControlLocation = spec.ControlLocation ?? deployed.ControlAccount,
                    ExperimentScope = spec.ExperimentScope ?? deployed.Experiment,
                    ExperimentLocation = spec.ExperimentLocation ?? deployed.ExperimentAccount,
                    ExtendedScopeParams = WithAccount(spec.ExtendedScopeParams, deployed.ControlAccount),
                };
            }

            if (spec.ControlScope is null || spec.ExperimentScope is null)
            {
                throw KayentaCanaryContext.Invalid($"canaryConfig.scopes[{i}]", $"scope '{spec.ScopeName}' needs controlScope and experimentScope (the server groups to compare)");
            }

            result[spec.ScopeName] = spec.For(interval);
        }

        return result;
    }

    /// <summary>The embedded source reads the account from the <c>account</c> scope parameter; default it to the deployed one.</summary>
    private static Dictionary<string, string> WithAccount(IReadOnlyDictionary<string, string> parameters, string account)
    {
        var copy = new Dictionary<string, string>(parameters, StringComparer.Ordinal);
        copy.TryAdd("account", account);
        return copy;
    }
}
