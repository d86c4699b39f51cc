using Mizzen.Server.Tests.Clusters;

namespace Mizzen.Server.Tests.Cli;

/// <summary>The real CLI's <c>instance logs</c> and <c>server-group</c> commands against the shop server's real instances.</summary>
[Collection(ShopCollection.Name)]
public sealed class CliClusterTests(ShopCluster shop)
{
    [Fact]
    public async Task Instance_logs_without_an_account_print_the_instance_output_from_whichever_account_runs_it()
    {
        await shop.GuardedServerGroupAsync();
        var secure = (await shop.Server.GetJsonAsync("/applications/vault/serverGroups")).AsArray()[0]!["instances"]!.AsArray()[0]!["id"]!.GetValue<string>();

        var withoutAccount = await RunAsync("instance", "logs", secure, "--tail", "10");
        var withAccount = await RunAsync("instance", "logs", ShopCluster.GuardedAccount, secure, "--stderr");

        withoutAccount.Exit.ShouldBe(0, withoutAccount.Err);
        withoutAccount.Out.ShouldContain("started v1");
        withAccount.Exit.ShouldBe(0, withAccount.Err);
        withAccount.Out.ShouldContain("oops");
    }

    [Fact]
    public async Task Instance_logs_of_an_unknown_instance_exit_one_with_the_servers_message()
    {
        var missing = await RunAsync("instance", "logs", "shop-web-v999-i9");

        missing.Exit.ShouldBe(1);
        missing.Err.ShouldStartWith("mizzen: ");
        missing.Err.ShouldContain("'shop-web-v999-i9'");
        missing.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Disabling_the_only_server_group_of_a_guarded_cluster_with_wait_exits_non_zero_and_prints_the_guards_message()
    {
        var group = await shop.GuardedServerGroupAsync();

        var run = await RunAsync("server-group", "disable", "vault", ShopCluster.GuardedAccount, group, "--wait");

        run.Exit.ShouldBe(1, run.Err + run.Out);
        run.Out.ShouldContain("TERMINAL");
        run.Out.ShouldContain($"This cluster ('vault-web' in secure) has traffic guards enabled. Disabling {group} would leave the cluster with no instances up.");
        var after = (await shop.Server.GetJsonAsync("/applications/vault/serverGroups")).AsArray().Single(g => g!["name"]!.GetValue<string>() == group)!;
        after["isDisabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Mizzen.Cli.Cli.RunAsync([.. args, "--server", shop.Server.Url.ToString().TrimEnd('/')], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
