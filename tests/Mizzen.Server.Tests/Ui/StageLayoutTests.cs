using Mizzen.Core.Model;
using Mizzen.Server.Ui.Shared;

namespace Mizzen.Server.Tests.Ui;

/// <summary>Where the stage graph puts each stage: columns by requisite depth, parallel branches stacked, synthetic stages left to their parent.</summary>
public sealed class StageLayoutTests
{
    [Fact]
    public void Parallel_branches_share_a_column_and_a_join_comes_after_the_longer_branch()
    {
        var run = Run(
            Stage("1", "build"),
            Stage("2", "test", "1"),
            Stage("3", "scan", "1"),
            Stage("4", "package", "3"),
            Stage("5", "deploy", "2", "4"));

        var nodes = StageLayout.Compute(run).ToDictionary(n => n.Stage.Name);

        nodes["build"].Column.ShouldBe(0);
        (nodes["test"].Column, nodes["scan"].Column).ShouldBe((1, 1));
        new[] { nodes["test"].Row, nodes["scan"].Row }.Order().ShouldBe([0, 1]);
        nodes["package"].Column.ShouldBe(2);
        nodes["deploy"].Column.ShouldBe(3);
        StageLayout.Ordered(run).Select(s => s.Name).ShouldBe(["build", "test", "scan", "package", "deploy"]);
    }

    [Fact]
    public void Synthetic_stages_are_not_boxes_of_their_own_and_a_requisite_cycle_does_not_hang_the_layout()
    {
        var parent = Stage("1", "deploy");
        var child = Stage("x", "wait for up");
        child.ParentStageId = parent.Id;
        child.SyntheticStageOwner = SyntheticStageOwner.StageBefore;
        var run = Run(parent, child, Stage("2", "a", "3"), Stage("3", "b", "2"));

        var nodes = StageLayout.Compute(run);

        nodes.Select(n => n.Stage.Name).ShouldBe(["deploy", "a", "b"], ignoreOrder: true);
        nodes.ShouldAllBe(n => n.Column >= 0 && n.Column <= 2);
    }

    private static PipelineExecution Run(params StageExecution[] stages) => new() { Id = "run", Application = "shop", Stages = [.. stages] };

    private static StageExecution Stage(string refId, string name, params string[] requisites) =>
        new() { Id = "s" + refId, RefId = refId, Name = name, Type = "wait", RequisiteStageRefIds = [.. requisites] };
}
