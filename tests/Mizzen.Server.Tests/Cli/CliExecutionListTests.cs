using Mizzen.Server.Tests.Clusters;

namespace Mizzen.Server.Tests.Cli;

/// <summary><c>execution list</c> against the shop server: tasks (ad-hoc orchestrations such as the deploy through <c>POST /tasks</c>) are listed too.</summary>
[Collection(ShopCollection.Name)]
public sealed class CliExecutionListTests(ShopCluster shop)
{
    [Fact]
    public async Task Execution_list_shows_the_applications_tasks_with_type_task_and_the_tasks_route_lists_only_orchestrations()
    {
        var tasks = (await shop.Server.GetJsonAsync("/applications/shop/tasks?limit=100")).AsArray();

        var all = await RunAsync("execution", "list", "shop", "--limit", "100");
        var pipelinesOnly = await RunAsync("execution", "list", "shop", "--type", "pipeline");

        tasks.ShouldNotBeEmpty();
        tasks.ShouldAllBe(t => t!["type"]!.GetValue<string>() == "ORCHESTRATION");
        tasks.Select(t => t!["name"]!.GetValue<string>()).ShouldContain("Deploy v1");
        all.Exit.ShouldBe(0, all.Err);
        var lines = all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("ID");
        lines[0].ShouldContain("TYPE");
        lines.ShouldContain(l => l.Contains("  task ", StringComparison.Ordinal) && l.Contains("Deploy v1", StringComparison.Ordinal) && l.Contains("SUCCEEDED", StringComparison.Ordinal));
        pipelinesOnly.Exit.ShouldBe(0, pipelinesOnly.Err);
        pipelinesOnly.Out.ShouldNotContain("Deploy v1");
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Mizzen.Cli.Cli.RunAsync([.. args, "--server", shop.Server.Url.ToString().TrimEnd('/')], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
