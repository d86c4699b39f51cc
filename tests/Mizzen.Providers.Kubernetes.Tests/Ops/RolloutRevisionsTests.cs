using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Operations;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

public sealed class RolloutRevisionsTests
{
    [Fact]
    public void Num_revisions_back_counts_from_the_newest_as_clouddriver_does()
    {
        RolloutRevisions.Pick([3, 1, 2, 5], null, 1, "deployment web").ShouldBe(3);
        RolloutRevisions.Pick([3, 1, 2, 5], null, 3, "deployment web").ShouldBe(1);
    }

    [Fact]
    public void Going_back_past_the_oldest_revision_names_the_field_and_the_revisions()
    {
        var error = Should.Throw<ValidationException>(() => RolloutRevisions.Pick([1, 2], null, 2, "deployment web"));
        error.Problems.Single().Location.ShouldBe("numRevisionsBack");
        error.Message.ShouldContain("revisions 1, 2");
    }

    [Fact]
    public void An_explicit_revision_must_exist()
    {
        RolloutRevisions.Pick([1, 2, 4], 2, 1, "deployment web").ShouldBe(2);
        Should.Throw<ValidationException>(() => RolloutRevisions.Pick([1, 2, 4], 3, null, "deployment web")).Problems.Single().Location.ShouldBe("revision");
        Should.Throw<ValidationException>(() => RolloutRevisions.Pick([1, 2], null, null, "deployment web")).Message.ShouldContain("numRevisionsBack");
    }

    [Fact]
    public void A_replica_sets_template_comes_back_without_the_pod_template_hash()
    {
        var replicaSet = JsonNode.Parse("""
            {"metadata":{"annotations":{"deployment.kubernetes.io/revision":"7"}},
             "spec":{"template":{"metadata":{"labels":{"app":"web","pod-template-hash":"abc"}},"spec":{"containers":[{"name":"web","image":"web:1"}]}}}}
            """)!.AsObject();

        RolloutRevisions.Of(replicaSet).ShouldBe(7);
        var template = RolloutRevisions.TemplateOf(replicaSet);
        template["metadata"]!["labels"]!.AsObject().Select(p => p.Key).ShouldBe(["app"]);
        replicaSet["spec"]!["template"]!["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>().ShouldBe("abc");
    }
}
