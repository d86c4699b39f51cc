using System.Text.Json.Nodes;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Types;

namespace Mizzen.Expressions.Values;

/// <summary>The Java class name Spinnaker would report for a value, used in error messages users compare with Orca's.</summary>
internal static class JavaTypeNames
{
    public static string Of(object? value) => value switch
    {
        null => "null",
        string => "java.lang.String",
        bool => "java.lang.Boolean",
        int => "java.lang.Integer",
        long => "java.lang.Long",
        double => "java.lang.Double",
        float => "java.lang.Float",
        JsonArray or ValueList { IsArray: false } => "java.util.ArrayList",
        ValueList => "java.lang.String[]",
        JsonObject or ValueMap or RootView => "java.util.LinkedHashMap",
        MapEntry => "java.util.Map$Entry",
        StageView => "com.netflix.spinnaker.orca.api.pipeline.models.StageExecution",
        ExecutionView => "com.netflix.spinnaker.orca.api.pipeline.models.PipelineExecution",
        AllowedType type => "java.lang.Class<" + type.JavaName + ">",
        IJavaObject typed => typed.JavaTypeName,
        _ => value.GetType().Name,
    };
}
