using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Model;
using Mizzen.Persistence.Coordination;
using Mizzen.Providers.Local.Accounts;
using Mizzen.Providers.Local.Clouds;

namespace Mizzen.Providers.Local.Tests.Nodes;

/// <summary>Which node a stage's work is bound to, read from the stage contexts in memory (accounts: far → node b, near → unbound).</summary>
public sealed class LocalAccountAffinityTests
{
    private readonly LocalAccountAffinity affinity = new(Registry(bindFar: true));

    [Theory]
    [InlineData("""{"account": "far"}""", "b")]
    [InlineData("""{"credentials": "far", "cloudProvider": "local"}""", "b")]
    [InlineData("""{"account": "far", "cloudProvider": "LOCAL"}""", "b")]
    [InlineData("""{"account": "near"}""", null)]
    [InlineData("""{"account": "unknown"}""", null)]
    [InlineData("""{"account": "far", "cloudProvider": "kubernetes"}""", null)]
    [InlineData("""{"waitTime": 5}""", null)]
    [InlineData("""{"deployments": {"baseline": {"account": "far", "cluster": "demo-prod"}}}""", "b")]
    [InlineData("""{"canaryConfig": {"scopes": [{"extendedScopeParams": {"account": "far"}}]}}""", "b")]
    public void A_stage_is_bound_to_the_node_of_the_local_account_it_acts_on(string context, string? node)
    {
        var (execution, stage) = Single(context);

        affinity.NodeFor(execution, stage).ShouldBe(node);
    }

    [Fact]
    public void A_synthetic_stage_without_an_account_follows_its_parents_account()
    {
        var parent = new StageExecution { Id = "p", Type = "rollbackServerGroup", Context = JsonNode.Parse("""{"credentials": "far"}""")!.AsObject() };
        var child = new StageExecution { Id = "c", Type = "wait", ParentStageId = "p", Context = [] };
        var execution = new PipelineExecution { Id = "e", Stages = [parent, child] };

        affinity.NodeFor(execution, child).ShouldBe("b");
    }

    [Fact]
    public void With_no_account_bound_to_a_node_no_stage_is_bound()
    {
        var unbound = new LocalAccountAffinity(Registry(bindFar: false));
        var (execution, stage) = Single("""{"account": "far"}""");

        unbound.NodeFor(execution, stage).ShouldBeNull();
    }

    private static (PipelineExecution, StageExecution) Single(string context)
    {
        var stage = new StageExecution { Id = "s", Type = "createServerGroup", Context = JsonNode.Parse(context)!.AsObject() };
        return (new PipelineExecution { Id = "e", Stages = [stage] }, stage);
    }

    private static LocalAccountRegistry Registry(bool bindFar)
    {
        var options = new LocalProviderOptions();
        options.Accounts.Add(new LocalAccountOptions { Name = "far", Node = bindFar ? "b" : null, WorkingFolder = Path.Combine(Path.GetTempPath(), "never-far") });
        options.Accounts.Add(new LocalAccountOptions { Name = "near", WorkingFolder = Path.Combine(Path.GetTempPath(), "never-near") });
        return new LocalAccountRegistry(Options.Create(options), Options.Create(new NodeOptions { Id = "a" }));
    }
}
