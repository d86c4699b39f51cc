using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Operations;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

public sealed class ControllerRevisionHistoryTests
{
    private static JsonObject Revision(string name, long? revision, string ownerUid, bool controller = true, JsonNode? data = null)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = "StatefulSet", ["name"] = "db", ["uid"] = ownerUid, ["controller"] = controller }),
            },
        };
        if (revision is { } r)
        {
            obj["revision"] = r;
        }

        obj["data"] = data ?? JsonNode.Parse("""{"spec":{"template":{"$patch":"replace","spec":{"containers":[{"name":"db","image":"db:1"}]}}}}""");
        return obj;
    }

    [Fact]
    public void Only_revisions_the_workload_controls_count_as_its_history()
    {
        var listed = new[]
        {
            Revision("db-a", 1, "uid-db"),
            Revision("db-b", 2, "uid-db"),
            Revision("other-c", 3, "uid-other"),
            Revision("db-d", 4, "uid-db", controller: false),
            Revision("db-e", null, "uid-db"),
        };

        ControllerRevisionHistory.ControlledBy(listed, "uid-db").Select(r => r["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["db-a", "db-b"]);
    }

    [Fact]
    public void The_restore_patch_is_the_revisions_data_and_data_without_a_template_is_refused_naming_the_revision()
    {
        var good = Revision("db-a", 1, "uid-db");
        var patch = ControllerRevisionHistory.RestorePatch(good, "statefulSet db");
        patch["spec"]!["template"]!["$patch"]!.GetValue<string>().ShouldBe("replace");
        patch.ShouldNotBeSameAs(good["data"]);

        var bad = Revision("db-b", 2, "uid-db", data: JsonNode.Parse("""{"spec":{"replicas":3}}"""));
        var error = Should.Throw<ValidationException>(() => ControllerRevisionHistory.RestorePatch(bad, "statefulSet db"));
        error.Message.ShouldContain("statefulSet db: ControllerRevision db-b has no pod template in its data");
    }
}
