using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Evaluation;

/// <summary>
/// The evaluation root (Orca's reference 3.2), read lazily so a lookup costs only what it touches:
/// variables, then <c>execution</c>/<c>trigger</c>/<c>parameters</c>/<c>scmInfo</c>, then the stage context (or the given root),
/// then the outputs of the stage's ancestors.
/// </summary>
internal sealed class RootView
{
    private static readonly JsonObject EmptyParameters = [];
    private readonly JsonObject? own;
    private readonly bool providesExecutionKeys;
    private ExecutionView? executionView;
    private List<StageExecution>? ancestors;
    private object? scmInfo;
    private bool scmInfoComputed;

    public RootView(ExpressionScope scope)
    {
        Scope = scope;
        Execution = scope.Execution;
        own = scope.Root ?? scope.Stage?.Context;
        providesExecutionKeys = Execution is not null && (scope.Stage is not null || scope.Root is null);
    }

    public ExpressionScope Scope { get; }

    public PipelineExecution? Execution { get; }

    public ExecutionView? ExecutionView => Execution is null ? null : executionView ??= new ExecutionView(Execution);

    public bool TryGet(string name, out object? value)
    {
        if (Scope.Variables is { } variables && variables.TryGetPropertyValue(name, out var variable))
        {
            value = JsonValues.FromNode(variable);
            return true;
        }

        if ((providesExecutionKeys || (Execution is not null && name is "execution" or "trigger")) && TryGetExecutionKey(name, out value))
        {
            return true;
        }

        if (own is not null && own.TryGetPropertyValue(name, out var node))
        {
            value = JsonValues.FromNode(node);
            return true;
        }

        if (!providesExecutionKeys && own?["trigger"] is JsonObject trigger && TryGetDerivedKey(name, trigger, out value))
        {
            return true;
        }

        if (Execution is not null && Scope.Stage is { } stage)
        {
            foreach (var ancestor in Ancestors(stage))
            {
                if (ancestor.Outputs.TryGetPropertyValue(name, out var output))
                {
                    value = JsonValues.FromNode(output);
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    private bool TryGetExecutionKey(string name, out object? value)
    {
        switch (name)
        {
            case "execution":
                value = ExecutionView;
                return true;
            case "trigger":
                value = Execution!.Trigger;
                return true;
            case "parameters" or "scmInfo" when providesExecutionKeys:
                return TryGetDerivedKey(name, Execution!.Trigger, out value);
            default:
                value = null;
                return false;
        }
    }

    private bool TryGetDerivedKey(string name, JsonObject trigger, out object? value)
    {
        switch (name)
        {
            case "parameters":
                value = trigger["parameters"] as JsonObject ?? EmptyParameters;
                return true;
            case "scmInfo":
                if (!scmInfoComputed)
                {
                    scmInfo = ScmInfo.From(own?["buildInfo"] as JsonObject, trigger);
                    scmInfoComputed = true;
                }

                value = scmInfo;
                return value is not null;
            default:
                value = null;
                return false;
        }
    }

    private List<StageExecution> Ancestors(StageExecution stage) => ancestors ??= Execution!.Ancestors(stage);

    /// <summary>Every name visible at the root, for "did you mean" hints and <c>#toJson(#root)</c>.</summary>
    public IReadOnlyCollection<string> Keys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (Scope.Variables is not null)
        {
            keys.UnionWith(Scope.Variables.Select(p => p.Key));
        }

        if (own is not null)
        {
            keys.UnionWith(own.Select(p => p.Key));
        }

        if (providesExecutionKeys)
        {
            keys.UnionWith(["execution", "trigger", "parameters", "scmInfo"]);
        }
        else if (own?["trigger"] is JsonObject)
        {
            keys.UnionWith(["parameters"]);
        }

        if (Execution is not null && Scope.Stage is { } stage)
        {
            foreach (var ancestor in Ancestors(stage))
            {
                keys.UnionWith(ancestor.Outputs.Select(p => p.Key));
            }
        }

        return keys;
    }

    public ValueMap ToMap()
    {
        var map = new ValueMap();
        foreach (var key in Keys())
        {
            if (TryGet(key, out var value))
            {
                map[key] = value;
            }
        }

        return map;
    }
}
