using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// Starts a stage once every upstream stage let it. A stage whose upstream halted never starts. A stage with
/// expressions to evaluate (its context, its <c>stageEnabled</c>) is handed to <see cref="EvaluateStage"/>, which
/// evaluates outside the transaction (a <c>#fromUrl</c> may take seconds) and then starts it; any other stage starts
/// here: tasks and before stages are planned and the first of them started.
/// </summary>
public sealed class StartStageHandler(StageStarter starter) : MessageHandler<StartStage>
{
    public override string Kind => "startStage";

    protected override Task HandleAsync(HandlerContext context, StartStage message, CancellationToken cancellationToken)
    {
        if (StageStarter.StartableStage(context, message.StageId) is not { } stage)
        {
            return Task.CompletedTask;
        }

        if (StageStarter.NeedsEvaluation(stage))
        {
            context.Push(new EvaluateStage(message.ExecutionId, stage.Id));
            return Task.CompletedTask;
        }

        starter.Start(context, stage, StageEvaluation.Unchanged);
        return Task.CompletedTask;
    }
}
