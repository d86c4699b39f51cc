using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages;

/// <summary>The ordered tasks of a stage: <c>tasks.Add&lt;WaitTask&gt;("wait")</c>.</summary>
public sealed class TaskGraph
{
    private readonly List<TaskNode> nodes = [];

    public IReadOnlyList<TaskNode> Nodes => nodes;

    public TaskGraph Add<TTask>(string name) where TTask : ITask
    {
        nodes.Add(new TaskNode(name, typeof(TTask)));
        return this;
    }

    public TaskGraph Add(string name, Type taskType)
    {
        if (!typeof(ITask).IsAssignableFrom(taskType))
        {
            throw new ArgumentException($"{taskType.Name} is not an ITask", nameof(taskType));
        }

        nodes.Add(new TaskNode(name, taskType));
        return this;
    }
}

public sealed record TaskNode(string Name, Type TaskType);
