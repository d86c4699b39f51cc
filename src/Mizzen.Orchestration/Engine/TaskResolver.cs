using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Engine;

/// <summary>Finds the <see cref="ITask"/> behind a stored task: by rebuilding the stage's task graph and matching the name.</summary>
public sealed class TaskResolver(StagePlanner planner, IServiceProvider services)
{
    public IReadOnlyCollection<string> UnevaluatedKeys(StageExecution stage) => planner.Definition(stage).UnevaluatedContextKeys;

    public ITask Resolve(StageExecution stage, TaskExecution task)
    {
        var graph = new TaskGraph();
        planner.Definition(stage).BuildTasks(stage, graph);
        var node = graph.Nodes.FirstOrDefault(n => (n.TaskType.FullName ?? n.TaskType.Name) == task.ImplementingClass && n.Name == task.Name)
                   ?? graph.Nodes.FirstOrDefault(n => n.Name == task.Name)
                   ?? throw new InvalidOperationException($"stage '{stage.Name}' ({stage.Type}) has no task named '{task.Name}'");
        return (ITask)ActivatorUtilities.GetServiceOrCreateInstance(services, node.TaskType);
    }
}
