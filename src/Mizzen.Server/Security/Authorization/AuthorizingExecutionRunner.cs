using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence;
using Mizzen.Persistence.Executions;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Every way a run starts or is steered goes through <see cref="IExecutionRunner"/> — the REST API, the UI, triggers, pipeline stages that
/// start pipelines — so the run's permissions are checked here, once, for the user the call names: its roles come from authn's
/// <c>IUserRoles</c> at the time of the call. Starting needs EXECUTE on the application and WRITE on every account the stages name
/// (fiat: "to run a pipeline in app X that deploys to account Y you need EXECUTE on X and WRITE on Y"); a trigger without
/// <c>runAsUser</c> runs as <c>anonymous</c>, which holds no roles, so it may start only unrestricted pipelines that deploy only to
/// unrestricted accounts. Cancel, pause, resume, restart and stage changes need EXECUTE; a judgment of a stage with
/// <c>selectedStageRoles</c> (or orca's <c>requiredJudgmentRoles</c>) also needs one of those roles, unless the judge is an admin.
/// With authentication off this only passes calls on.
/// </summary>
public sealed class AuthorizingExecutionRunner(IExecutionRunner inner, PermissionEvaluator evaluator, IExecutionStore executions) : IExecutionRunner
{
    public async Task<PipelineExecution> StartAsync(PipelineConfig config, JsonObject trigger, string user, CancellationToken cancellationToken)
    {
        await DemandStartAsync(user, config.Application, config.Stages, cancellationToken);
        return await inner.StartAsync(config, trigger, user, cancellationToken);
    }

    public async Task<PipelineExecution> StartAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<IStoreTransaction, PipelineExecution, bool> alongside, CancellationToken cancellationToken)
    {
        await DemandStartAsync(user, config.Application, config.Stages, cancellationToken);
        return await inner.StartAsync(config, trigger, user, alongside, cancellationToken);
    }

    public async Task<PipelineExecution> StartOrchestrationAsync(string application, string description, JsonArray stages, string user, CancellationToken cancellationToken)
    {
        await DemandStartAsync(user, application, stages, cancellationToken);
        return await inner.StartOrchestrationAsync(application, description, stages, user, cancellationToken);
    }

    public async Task CancelAsync(string executionId, string user, string? reason, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.CancelAsync(executionId, user, reason, cancellationToken);
    }

    public async Task PauseAsync(string executionId, string user, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.PauseAsync(executionId, user, cancellationToken);
    }

    public async Task ResumeAsync(string executionId, string user, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.ResumeAsync(executionId, user, cancellationToken);
    }

    public async Task RestartStageAsync(string executionId, string stageId, string user, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.RestartStageAsync(executionId, stageId, user, cancellationToken);
    }

    public async Task<StageExecution> UpdateStageAsync(string executionId, string stageId, JsonObject patch, string user, CancellationToken cancellationToken)
    {
        await DemandUpdateAsync(executionId, stageId, patch, user, cancellationToken);
        return await inner.UpdateStageAsync(executionId, stageId, patch, user, cancellationToken);
    }

    // The overloads with `alongside` (the audit log's record, written in the operation's transaction) are checked the same way.

    public async Task<PipelineExecution> StartOrchestrationAsync(
        string application, string description, JsonArray stages, string user, Action<IStoreTransaction, PipelineExecution, bool> alongside,
        CancellationToken cancellationToken)
    {
        await DemandStartAsync(user, application, stages, cancellationToken);
        return await inner.StartOrchestrationAsync(application, description, stages, user, alongside, cancellationToken);
    }

    public async Task CancelAsync(string executionId, string user, string? reason, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.CancelAsync(executionId, user, reason, alongside, cancellationToken);
    }

    public async Task PauseAsync(string executionId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.PauseAsync(executionId, user, alongside, cancellationToken);
    }

    public async Task ResumeAsync(string executionId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.ResumeAsync(executionId, user, alongside, cancellationToken);
    }

    public async Task RestartStageAsync(string executionId, string stageId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await DemandExecuteAsync(executionId, user, cancellationToken);
        await inner.RestartStageAsync(executionId, stageId, user, alongside, cancellationToken);
    }

    public async Task<StageExecution> UpdateStageAsync(
        string executionId, string stageId, JsonObject patch, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await DemandUpdateAsync(executionId, stageId, patch, user, cancellationToken);
        return await inner.UpdateStageAsync(executionId, stageId, patch, user, alongside, cancellationToken);
    }

    /// <summary>The roles that may judge <paramref name="stage"/>: Deck's <c>selectedStageRoles</c> and orca's <c>requiredJudgmentRoles</c>.</summary>
    public static IReadOnlyList<string> JudgmentRoles(StageExecution stage) =>
        [.. new[] { "selectedStageRoles", "requiredJudgmentRoles" }
            .SelectMany(key => stage.Context[key] as JsonArray ?? [])
            .Select(r => r.AsString()).OfType<string>()
            .Select(PermissionSet.NormalizeRole).Where(r => r.Length > 0)
            .Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Orca's rule, checked before the judgment is stored rather than after: an admin, or a holder of one of the stage's judgment roles,
    /// may judge; a stage that lists none may be judged by anyone who may EXECUTE.
    /// </summary>
    public static string? JudgmentDenial(Caller caller, StageExecution stage)
    {
        var roles = JudgmentRoles(stage);
        return ReferenceEquals(caller, Caller.Everyone) || roles.Count == 0 || caller.IsAdmin || roles.Any(caller.Roles.Contains)
            ? null
            : $"'{caller.Name}' may not judge stage '{stage.Name}': judging it takes one of the roles {string.Join(", ", roles)}";
    }

    private async Task DemandUpdateAsync(string executionId, string stageId, JsonObject patch, string user, CancellationToken cancellationToken)
    {
        if (evaluator.Enabled && await DemandExecuteAsync(executionId, user, cancellationToken) is var (execution, caller) && execution is not null
            && patch.ContainsKey("judgmentStatus") && execution.StageById(stageId) is { } stage && JudgmentDenial(caller, stage) is { } denial)
        {
            throw new ForbiddenException(denial);
        }
    }

    private async Task DemandStartAsync(string user, string application, JsonArray stages, CancellationToken cancellationToken)
    {
        if (!evaluator.Enabled)
        {
            return;
        }

        var caller = await evaluator.ForUserAsync(user, cancellationToken);
        await evaluator.DemandApplicationAsync(caller, application, Access.Execute, cancellationToken);
        foreach (var account in DeployAccounts.In(stages))
        {
            evaluator.DemandAccount(caller, account, Access.Write);
        }
    }

    private async Task<(PipelineExecution? Execution, Caller Caller)> DemandExecuteAsync(string executionId, string user, CancellationToken cancellationToken)
    {
        if (!evaluator.Enabled)
        {
            return (null, Caller.Everyone);
        }

        var caller = await evaluator.ForUserAsync(user, cancellationToken);
        var execution = await executions.GetAsync(executionId, cancellationToken);
        if (execution is not null)
        {
            await evaluator.DemandApplicationAsync(caller, execution.Application, Access.Execute, cancellationToken);
        }

        return (execution, caller);
    }
}
