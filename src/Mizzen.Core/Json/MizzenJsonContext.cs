using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mizzen.Core.Model;

namespace Mizzen.Core.Json;

/// <summary>Source-generated metadata for the stored model: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PipelineExecution))]
[JsonSerializable(typeof(StageExecution))]
[JsonSerializable(typeof(List<StageExecution>))]
[JsonSerializable(typeof(TaskExecution))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(List<Application>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
public sealed partial class MizzenJsonContext : JsonSerializerContext;
