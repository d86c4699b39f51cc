using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Evaluation;

/// <summary><c>execution</c> as expressions see it: its JSON fields, with <c>stages</c> as stage objects (<c>hasSucceeded</c> ...).</summary>
internal sealed class ExecutionView(PipelineExecution execution)
{
    private JsonObject? json;
    private ValueList? stages;

    public PipelineExecution Execution { get; } = execution;

    public JsonObject Json => json ??= JsonSerializer.SerializeToNode(Execution, MizzenJson.Options) as JsonObject ?? [];

    public ValueList Stages => stages ??= new ValueList(Execution.Stages.Select(s => (object?)new StageView(s, this)));

    public bool TryGet(string name, out object? value)
    {
        switch (name)
        {
            case "id":
                value = Execution.Id;
                return true;
            case "application":
                value = Execution.Application;
                return true;
            case "name":
                value = Execution.Name;
                return true;
            case "status":
                value = Execution.Status.ToWireName();
                return true;
            case "trigger":
                value = Execution.Trigger;
                return true;
            case "stages":
                value = Stages;
                return true;
        }

        if (Json.TryGetPropertyValue(name, out var node))
        {
            value = JsonValues.FromNode(node);
            return true;
        }

        value = null;
        return name is "startTime" or "endTime" or "buildTime" or "description" or "pipelineConfigId";
    }

    public IEnumerable<string> Keys() => Json.Select(p => p.Key);

    public StageView View(StageExecution stage) => new(stage, this);

    public override string ToString() => $"PipelineExecution(id={Execution.Id}, application={Execution.Application})";
}
