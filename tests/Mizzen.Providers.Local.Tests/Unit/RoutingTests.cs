using Mizzen.Providers.Local.LoadBalancing;

namespace Mizzen.Providers.Local.Tests.Unit;

public sealed class RoutingTests
{
    [Fact]
    public void Smooth_weighted_round_robin_gives_8_1_1_of_every_10_picks_for_80_10_10()
    {
        var picker = new WeightedTargetPicker();
        string[] keys = ["prod", "baseline", "canary"];
        var counts = new int[3];
        for (var i = 0; i < 1000; i++)
        {
            counts[picker.Pick([80, 10, 10], [true, true, true], keys)]++;
        }

        counts.ShouldBe([800, 100, 100]);
    }

    [Fact]
    public void A_target_without_Up_instances_is_skipped_and_the_others_share_its_traffic()
    {
        var picker = new WeightedTargetPicker();
        string[] keys = ["a", "b"];

        Enumerable.Range(0, 10).Select(_ => picker.Pick([50, 50], [false, true], keys)).ShouldAllBe(i => i == 1);
        picker.Pick([50, 50], [false, false], keys).ShouldBe(-1);
        picker.Pick([0, 0], [true, true], keys).ShouldBe(-1);
    }

    [Fact]
    public void Least_requests_prefers_the_idle_instance_and_rotates_among_equals()
    {
        var picker = new LeastRequestsPicker();
        InstanceEndpoint[] endpoints = [new("a", 1), new("b", 2), new("c", 3)];
        endpoints[0].Begin();
        endpoints[2].Begin();

        picker.Pick(endpoints).InstanceId.ShouldBe("b");
        endpoints[0].End();
        endpoints[2].End();
        Enumerable.Range(0, 30).Select(_ => picker.Pick(endpoints).InstanceId).GroupBy(x => x).Select(g => g.Count()).ShouldAllBe(n => n == 10);
    }
}
