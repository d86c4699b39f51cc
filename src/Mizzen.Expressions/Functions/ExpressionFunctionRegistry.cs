using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Functions;

/// <summary>A built-in function body over expression values.</summary>
internal delegate object? BuiltInFunction(object?[] args, EvaluationState state);

/// <summary>
/// Every <c>#function</c>: the built-ins of Orca and kork, then those of <see cref="IExpressionFunctionProvider"/>s.
/// Execution-aware functions get the execution implicitly; an explicit leading <c>#root.execution</c> argument
/// (Orca's rewritten form) is accepted and dropped.
/// </summary>
internal sealed class ExpressionFunctionRegistry
{
    private readonly Dictionary<string, (BuiltInFunction Body, bool ExecutionAware)> functions = new(StringComparer.Ordinal);

    public ExpressionFunctionRegistry(IEnumerable<IExpressionFunctionProvider> providers)
    {
        StageFunctions.Register(this);
        ConversionFunctions.Register(this);
        JsonFunctions.Register(this);
        UrlFunctions.Register(this);
        ArtifactFunctions.Register(this);
        DeployedServerGroupsFunction.Register(this);
        ManifestFunctions.Register(this);
        LookupFunctions.Register(this);
        foreach (var provider in providers)
        {
            foreach (var definition in provider.Functions)
            {
                var name = string.IsNullOrEmpty(provider.Namespace) ? definition.Name : provider.Namespace + "_" + definition.Name;
                if (functions.ContainsKey(name))
                {
                    throw new InvalidOperationException($"expression function #{name} is already registered");
                }

                functions[name] = ((args, state) => InvokeProvided(definition, args, state), false);
            }
        }
    }

    public IEnumerable<string> Names => functions.Keys;

    public void Add(string name, BuiltInFunction body, bool executionAware = false) => functions[name] = (body, executionAware);

    public object? Invoke(string name, object?[] args, EvaluationState state)
    {
        if (!functions.TryGetValue(name, out var function))
        {
            var suggestions = NameSuggestions.Nearest(name, functions.Keys);
            var hint = suggestions.Count > 0 ? $"; did you mean #{string.Join(" or #", suggestions)}?" : "";
            throw new ExpressionException($"EL1023E: A problem occurred whilst attempting to call the function '{name}': no such function{hint}")
            {
                Suggestions = suggestions.Select(s => "#" + s).ToList(),
            };
        }

        if (function.ExecutionAware && args.Length > 0 && args[0] is ExecutionView)
        {
            args = args[1..];
        }

        try
        {
            var result = function.Body(args, state);
            if (result is string text && Array.TrueForAll(args, a => !ReferenceEquals(a, text)))
            {
                state.CheckLength(text); // new text (#toJson, #fromUrl, #toBase64 ...) counts against the length and memory bounds
            }

            return result;
        }
        catch (ExpressionException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or InvalidCastException or OverflowException)
        {
            throw new ExpressionFunctionException($"#{name} failed: {e.Message}", e);
        }
    }

    private static object? InvokeProvided(ExpressionFunctionDefinition definition, object?[] args, EvaluationState state)
    {
        var call = new ExpressionFunctionCall(
            args.Select(a => JsonNodeBuilder.ToNode(a, state)).ToList(), state.Execution, state.CurrentStage, state.Root.Scope.User);
        return JsonValues.FromNode(definition.Invoke(call));
    }
}
