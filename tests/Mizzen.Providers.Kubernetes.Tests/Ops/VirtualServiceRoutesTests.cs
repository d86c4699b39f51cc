using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Istio;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

public sealed class VirtualServiceRoutesTests
{
    private static JsonArray Http() => JsonNode.Parse("""
        [{"match":[{"headers":{"x-canary":{"exact":"1"}}}],"route":[{"destination":{"host":"web.prod.svc.cluster.local","subset":"canary"}}]},
         {"route":[{"destination":{"host":"web.prod.svc.cluster.local","subset":"baseline"},"weight":100}]}]
        """)!.AsArray();

    [Fact]
    public void Weights_go_to_the_catch_all_route_and_missing_subsets_are_added_with_its_host()
    {
        var http = VirtualServiceRoutes.WithWeights(Http(), [new WeightedTarget("baseline", 90), new WeightedTarget("canary", 10)], "virtualService web");

        var route = http[1]!["route"]!.AsArray();
        route.Select(d => (d!["destination"]!["subset"]!.GetValue<string>(), d["weight"]!.GetValue<int>())).ShouldBe([("baseline", 90), ("canary", 10)]);
        route[1]!["destination"]!["host"]!.GetValue<string>().ShouldBe("web.prod.svc.cluster.local");
        http[0]!.ToJsonString().ShouldBe(Http()[0]!.ToJsonString()); // the header-matched route to the canary is left alone
    }

    [Fact]
    public void Relative_weights_become_percentages_that_add_up_to_100()
    {
        VirtualServiceRoutes.Percentages([1, 1, 1]).ShouldBe([34, 33, 33]);
        VirtualServiceRoutes.Percentages([67, 33]).ShouldBe([67, 33]);
        VirtualServiceRoutes.Percentages([0, 5]).ShouldBe([0, 100]);
    }

    [Fact]
    public void Subsets_not_named_keep_their_place_with_weight_zero()
    {
        var once = VirtualServiceRoutes.WithWeights(Http(), [new WeightedTarget("baseline", 67), new WeightedTarget("canary", 33)], "vs");
        var back = VirtualServiceRoutes.WithWeights(once, [new WeightedTarget("baseline", 100)], "vs");

        var vs = new JsonObject { ["spec"] = new JsonObject { ["http"] = new JsonArray(back[1]!.DeepClone()) } };
        VirtualServiceRoutes.Weights(vs).ShouldBe([new WeightedTarget("baseline", 100), new WeightedTarget("canary", 0)]);
    }

    [Fact]
    public void Bad_weights_name_the_targets_field()
    {
        Should.Throw<ValidationException>(() => VirtualServiceRoutes.WithWeights(Http(), [new WeightedTarget("baseline", -1)], "vs")).Problems.Single().Location.ShouldBe("targets");
        Should.Throw<ValidationException>(() => VirtualServiceRoutes.WithWeights(Http(), [new WeightedTarget("baseline", 0)], "vs")).Problems.Single().Location.ShouldBe("targets");
    }
}
