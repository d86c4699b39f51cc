using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>Finds the stage a user means: an exact stage id, else a stage name (case-insensitive).</summary>
internal static class StageResolver
{
    /// <param name="preferredType">When several stages share the name, one of this type (e.g. <c>manualJudgment</c>) wins.</param>
    public static StageExecution Resolve(PipelineExecution execution, string idOrName, string? preferredType = null)
    {
        if (execution.StageById(idOrName) is { } byId)
        {
            return byId;
        }

        var named = execution.Stages.Where(s => string.Equals(s.Name, idOrName, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count > 1 && preferredType is not null && named.Where(s => s.Type == preferredType).ToList() is { Count: > 0 } ofType)
        {
            named = ofType;
        }

        if (named.Count > 1 && named.Where(s => s.Status == ExecutionStatus.Running).ToList() is { Count: 1 } running)
        {
            named = running;
        }

        return named.Count switch
        {
            1 => named[0],
            0 => throw new CliException(
                $"execution {execution.Id} has no stage with id or name '{idOrName}'",
                ExitCodes.Failed,
                execution.Stages.Select(s => $"{s.Id}  {s.Name} ({s.Type}, {s.Status.ToWireName()})").ToList()),
            _ => throw new CliException(
                $"execution {execution.Id} has {named.Count} stages named '{idOrName}': give the stage id",
                ExitCodes.Failed,
                named.Select(s => $"{s.Id}  {s.Name} ({s.Type}, {s.Status.ToWireName()})").ToList()),
        };
    }
}
