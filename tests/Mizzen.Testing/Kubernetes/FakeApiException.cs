using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// An error the fake answers as the real API server does: a <c>Status</c> object (kind Status, status Failure, message,
/// reason, details, code) with the HTTP status code.
/// </summary>
public sealed class FakeApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["details"] = details?.DeepClone() ?? new JsonObject(),
        ["code"] = Code,
    };

    internal static JsonObject Details(FakeResourceType type, string? name) => name is null
        ? new JsonObject { ["group"] = type.Group, ["kind"] = type.Plural }
        : new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural };

    public static FakeApiException NotFound(FakeResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", Details(type, name));

    public static FakeApiException AlreadyExists(FakeResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", Details(type, name));

    public static FakeApiException Conflict(FakeResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(type, name));

    public static FakeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static FakeApiException Invalid(FakeResourceType type, string name, string message) =>
        new(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {message}", Details(type, name));
}
