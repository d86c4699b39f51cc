using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>
/// <c>--wait</c> of every command that starts a run: follows it with live stage progress (to stderr with <c>-o json</c>, whose
/// stdout carries only the final execution), prints each failed stage's errors, and maps the outcome to the exit code.
/// </summary>
internal static class ExecutionWait
{
    public static async Task<int> FollowAndReportAsync(CliContext context, string executionId, CancellationToken cancellationToken)
    {
        var progress = new StageProgress(context.Json ? context.Error : context.Out, context.Clock);
        var followed = await new ExecutionFollower(context.Client, context.Settings, progress).FollowAsync(executionId, cancellationToken);
        progress.Finish(followed.Execution);
        if (context.Json)
        {
            context.WriteJson(followed.Json);
        }
        else
        {
            foreach (var (stage, errors) in StageErrors.InExecution(followed.Execution))
            {
                context.Out.WriteLine($"errors in {stage.Name}:");
                errors.ToList().ForEach(error => context.Out.WriteLine($"  {error}"));
            }
        }

        return followed.Execution.Status == ExecutionStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }
}
