using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Operations;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

public sealed class TrafficLabelsTests
{
    private static readonly Dictionary<string, string> Selector = new() { ["app"] = "web", ["traffic.example.com/live"] = "true" };

    [Fact]
    public void Enable_adds_missing_selector_labels_and_replaces_present_ones_with_escaped_paths()
    {
        var patch = TrafficLabels.EnablePatch(new JsonObject { ["app"] = "old", ["tier"] = "x" }, Selector, TrafficLabels.TemplateLabelsPath);

        patch.ToJsonString().ShouldBe(
            """[{"op":"replace","path":"/spec/template/metadata/labels/app","value":"web"},{"op":"add","path":"/spec/template/metadata/labels/traffic.example.com~1live","value":"true"}]""");
    }

    [Fact]
    public void Enable_creates_the_labels_object_when_there_is_none()
    {
        var patch = TrafficLabels.EnablePatch(null, Selector, TrafficLabels.OwnLabelsPath);
        patch[0]!.ToJsonString().ShouldBe("""{"op":"add","path":"/metadata/labels","value":{}}""");
        patch.Count.ShouldBe(3);
    }

    [Fact]
    public void Disable_removes_only_selector_labels_that_are_present()
    {
        var labels = new JsonObject { ["app"] = "web", ["tier"] = "x" };
        TrafficLabels.DisablePatch(labels, Selector, TrafficLabels.OwnLabelsPath).ToJsonString()
            .ShouldBe("""[{"op":"remove","path":"/metadata/labels/app"}]""");
        TrafficLabels.IsSelectedBy(labels, Selector).ShouldBeFalse();
        TrafficLabels.IsSelectedBy(new JsonObject { ["app"] = "web", ["traffic.example.com/live"] = "true" }, Selector).ShouldBeTrue();
    }

    [Fact]
    public void Load_balancers_come_from_the_stage_else_from_the_annotation()
    {
        var workload = JsonNode.Parse("""{"metadata":{"annotations":{"traffic.spinnaker.io/load-balancers":"[\"service web\", \"service web-admin\"]"}}}""")!.AsObject();

        TrafficLabels.LoadBalancerNames(null, workload).ShouldBe(["web", "web-admin"]);
        TrafficLabels.LoadBalancerNames(new JsonArray("service other"), workload).ShouldBe(["other"]);
        Should.Throw<ValidationException>(() => TrafficLabels.LoadBalancerNames(new JsonArray("ingress web"), workload)).Message.ShouldContain("only Services");
    }

    [Fact]
    public void A_service_without_a_selector_cannot_move_traffic()
    {
        Should.Throw<ValidationException>(() => TrafficLabels.SelectorOf(new JsonObject { ["spec"] = new JsonObject() }, "service web"))
            .Message.ShouldContain("service web has no spec.selector");
    }
}
