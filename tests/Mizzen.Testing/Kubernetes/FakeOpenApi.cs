using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// A minimal OpenAPI v3 discovery (<c>/openapi/v3</c> and one document per group-version): for each kind, its object path
/// with a PATCH operation tagged <c>x-kubernetes-group-version-kind</c>, the <c>fieldValidation</c> query parameter and the
/// patch media types it accepts, and no schemas. That is what kubectl reads to decide that the server validates fields
/// itself (so <c>kubectl apply</c> needs no <c>--validate=false</c>); with no schemas, kubectl computes strategic merge
/// patches from its compiled-in types. The fake accepts <c>fieldValidation</c> but does not check fields.
/// </summary>
internal static class FakeOpenApi
{
    public static JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (group, version) in FakeResourceTypes.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={FakeController.Fnv(key):X8}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(string group, string version)
    {
        var types = FakeResourceTypes.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var path = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
            var content = new JsonObject
            {
                ["application/json-patch+json"] = new JsonObject(),
                ["application/merge-patch+json"] = new JsonObject(),
                ["application/apply-patch+yaml"] = new JsonObject(),
            };
            if (type.BuiltIn)
            {
                content["application/strategic-merge-patch+json"] = new JsonObject();
            }

            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(
                        Query("dryRun"),
                        Query("fieldManager"),
                        Query("fieldValidation"),
                        Query("force")),
                    ["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true },
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (Mizzen fake)", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
