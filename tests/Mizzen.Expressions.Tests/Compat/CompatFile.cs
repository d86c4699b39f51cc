using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Testing;

namespace Mizzen.Expressions.Tests.Compat;

/// <summary><c>shared/compat/expressions.json</c>, loaded as it is, and the scopes its conventions describe.</summary>
internal static class CompatFile
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(CompatData.PathOf("expressions.json")))!);

    public static JsonObject Root => Document.Value;

    public static JsonObject Context(string name) => (JsonObject)Root["contexts"]![name]!;

    public static JsonObject Case(string section, string id) =>
        ((JsonArray)Root[section]!).OfType<JsonObject>().Single(c => (string?)c["id"] == id);

    public static TheoryData<string> Ids(string section)
    {
        var data = new TheoryData<string>();
        foreach (var entry in ((JsonArray)Root[section]!).OfType<JsonObject>())
        {
            data.Add((string)entry["id"]!);
        }

        return data;
    }

    /// <summary>
    /// The convention: the context is the root; with an execution and a currentStage, the stage's root (own context, ancestors'
    /// outputs, execution, trigger, parameters). A context described as a "plain Map" execution is not read as an execution.
    /// </summary>
    public static ExpressionScope Scope(JsonObject testCase)
    {
        var context = Context((string)testCase["context"]!);
        var allowUnknownKeys = (bool?)testCase["allowUnknownKeys"] ?? true;
        var plainMap = ((string?)testCase["setup"])?.Contains("plain Map", StringComparison.Ordinal) ?? false;
        var execution = context["execution"] is JsonObject json && !plainMap ? TestEvaluators.ReadExecution(json) : null;
        if ((string?)testCase["currentStage"] is { } stageId && execution is not null)
        {
            return new ExpressionScope(execution, execution.StageByIdOrThrow(stageId)) { AllowUnknownKeys = allowUnknownKeys };
        }

        return new ExpressionScope(Execution: execution, Root: context) { AllowUnknownKeys = allowUnknownKeys };
    }
}
