using System.Text.Json.Serialization;

namespace Mizzen.Samples.DemoService;

internal sealed record DemoAnswer(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("status")] string Status);

[JsonSerializable(typeof(DemoAnswer))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
