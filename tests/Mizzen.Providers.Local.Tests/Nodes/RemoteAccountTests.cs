using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Coordination;
using Mizzen.Providers.Local.Accounts;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Nodes;

/// <summary>
/// Local accounts bound to a node (<c>Mizzen:Accounts:N:Node</c>) when several Mizzen nodes share one store: every other node
/// leaves the account's processes, load balancers, jobs and folder alone, and refuses questions about it naming the owner.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RemoteAccountTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_node_that_does_not_own_the_accounts_restores_supervises_sweeps_and_stops_nothing_of_them()
    {
        var owner = await ProviderHarness.StartAsync(o => BindTo(o, "a"), node: "a");
        ProviderHarness? other = null;
        try
        {
            var name = await owner.Provider.DeployServerGroupAsync(owner.Demo(demo) with { LoadBalancers = ["demo-lb"] }, None);
            var before = (await owner.WaitUpAsync("staging", name, 1)).Instances.Single();
            var balancer = (await owner.LoadBalancers.GetLoadBalancerAsync("staging", "demo-lb", None))!;
            var ownersJob = await RunJobAsync(owner, "prod", "owners-job");

            other = await owner.OtherNodeAsync("b", o =>
            {
                BindTo(o, "a");
                o.StopInstancesOnShutdown = true; // had it adopted the owner's instances, its shutdown would stop them
                o.JobRetention = TimeSpan.Zero;   // had it swept the owner's jobs, the finished one would be deleted
            });

            (await other.Provider.ListServerGroupsAsync("demo", None)).ShouldBeEmpty();
            (await other.Provider.ListApplicationsAsync(None)).ShouldBeEmpty();
            (await other.LoadBalancers.ListLoadBalancersAsync(None)).ShouldBeEmpty();
            var refused = await Should.ThrowAsync<AccountOnOtherNodeException>(() => other.Provider.GetServerGroupAsync("staging", name, None));
            refused.Node.ShouldBe("a");
            refused.Kind.ShouldBe(ErrorKind.Conflict);
            refused.Message.ShouldContain("node 'a'");
            await Should.ThrowAsync<AccountOnOtherNodeException>(() => other.Provider.GetInstanceAsync("staging", before.Id, None));
            await Should.ThrowAsync<AccountOnOtherNodeException>(() => other.Provider.ResizeServerGroupAsync("staging", name, 0, None));
            await Should.ThrowAsync<AccountOnOtherNodeException>(() => other.LoadBalancers.GetLoadBalancerAsync("staging", "demo-lb", None));
            await Should.ThrowAsync<AccountOnOtherNodeException>(() => other.Jobs.GetJobAsync("prod", "owners-job", None));

            // The other node's own account works, and its first job sweeps only what it owns.
            (await RunJobAsync(other, "edge", "edge-job")).ExitCode.ShouldBe(0);
            Directory.Exists(Path.Combine(owner.Folder, "prod", "jobs", "owners-job")).ShouldBeTrue("node b must not sweep node a's jobs");
            ownersJob.ExitCode.ShouldBe(0);

            await other.DisposeAsync();
            other = null;

            var after = (await owner.WaitUpAsync("staging", name, 1)).Instances.Single();
            (after.Id, after.Pid, after.Restarts).ShouldBe((before.Id, before.Pid, 0));
            (await HttpProbe.GetVersionAsync(balancer.Url)).ShouldBe((200, "v1"));
        }
        finally
        {
            if (other is not null)
            {
                await other.DisposeAsync();
            }

            await owner.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_remote_accounts_folder_is_never_created_and_every_call_names_the_owner_node()
    {
        await using var node = await ProviderHarness.StartAsync(o =>
        {
            var prod = o.Accounts.Single(a => a.Name == "prod");
            prod.Node = "a";
            prod.NodeUrl = "http://127.0.0.1:8084/";
        }, node: "b");
        var prodFolder = Path.Combine(node.Folder, "prod");

        var deploy = await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.Provider.DeployServerGroupAsync(node.Demo(demo, account: "prod"), None));
        deploy.Message.ShouldBe(
            "Local account 'prod' belongs to node 'a' (http://127.0.0.1:8084): its server groups, load balancers, instances and jobs live on that node's host; ask node 'a'");
        deploy.NodeUrl.ShouldBe(new Uri("http://127.0.0.1:8084/"));
        await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.Provider.DestroyServerGroupAsync("prod", "demo-web-v000", None));
        await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.Provider.EnableServerGroupAsync("prod", "demo-web-v000", None));
        await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.Provider.TailLogAsync("prod", "i-1", LogStream.Stdout, 10, None));
        await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.LoadBalancers.UpsertLoadBalancerAsync(new LoadBalancerSpec { Name = "lb", Account = "prod" }, None));
        await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.LoadBalancers.DeleteLoadBalancerAsync("prod", "lb", None));
        await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.Jobs.StartJobAsync(new RunJobRequest { JobId = "j-1", Account = "prod", Artifact = new LocalArtifact { Reference = node.Folder } }, None));
        await Should.ThrowAsync<AccountOnOtherNodeException>(() => node.Jobs.CancelJobAsync("prod", "j-1", timedOut: false, None));
        await node.Collector.CollectAsync(None);

        Directory.Exists(prodFolder).ShouldBeFalse("nothing may create or read a remote account's folder");
        node.Placement.ThisNode.ShouldBe("b");
        node.Placement.Find("prod").ShouldBe(new LocalAccountPlacement("prod", "a", new Uri("http://127.0.0.1:8084/"), IsRemote: true));
        node.Placement.Find("staging").ShouldBe(new LocalAccountPlacement("staging", null, null, IsRemote: false));
        node.Placement.Find("nope").ShouldBeNull();
    }

    [Fact]
    public async Task An_account_bound_to_this_node_is_owned_here()
    {
        await using var node = await ProviderHarness.StartAsync(o => BindTo(o, "a"), node: "a");
        node.Placement.All.Select(p => (p.Account, p.Node, p.IsRemote)).OrderBy(p => p.Account)
            .ShouldBe([("edge", "b", true), ("prod", "a", false), ("staging", "a", false)]);
        (await node.Provider.GetServerGroupAsync("prod", "demo-web-v000", None)).ShouldBeNull();
        (await node.Jobs.GetJobAsync("prod", "none", None)).ShouldBeNull();
    }

    [Theory]
    [InlineData("b", "ftp://host-b/", "Mizzen:Accounts[0].nodeUrl", "is not an http(s) URL")]
    [InlineData("b", "not a url", "Mizzen:Accounts[0].nodeUrl", "is not an http(s) URL")]
    [InlineData(null, "http://host-b:8084", "Mizzen:Accounts[0].nodeUrl", "has a nodeUrl but no node")]
    public void A_bad_node_url_is_refused_naming_the_setting(string? node, string url, string location, string message)
    {
        var options = new LocalProviderOptions();
        options.Accounts.Add(new LocalAccountOptions { Name = "prod", WorkingFolder = Path.Combine(Path.GetTempPath(), "never-created"), Node = node, NodeUrl = url });

        var error = Should.Throw<ValidationException>(() => new LocalAccountRegistry(Options.Create(options), Options.Create(new NodeOptions { Id = "a" })));

        error.Problems.Single().Location.ShouldBe(location);
        error.Problems.Single().Message.ShouldContain(message);
    }

    /// <summary>staging and prod bound to <paramref name="owner"/>; edge, a third account, bound to node b.</summary>
    private static void BindTo(LocalProviderOptions options, string owner)
    {
        foreach (var account in options.Accounts)
        {
            account.Node = owner;
        }

        options.Accounts.Add(new LocalAccountOptions
        {
            Name = "edge",
            Node = "b",
            WorkingFolder = Path.Combine(Path.GetDirectoryName(options.Accounts[0].WorkingFolder)!, "edge"),
            PortRange = "65000-65009",
        });
    }

    private static async Task<RunJobResult> RunJobAsync(ProviderHarness harness, string account, string jobId)
    {
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "bundle-" + jobId)).FullName;
        await File.WriteAllTextAsync(Path.Combine(bundle, "Procfile"), "job: echo hello\n");
        await harness.Jobs.StartJobAsync(new RunJobRequest { JobId = jobId, Account = account, Artifact = new LocalArtifact { Reference = bundle } }, None);
        var status = await Eventually.Until(
            () => harness.Jobs.GetJobAsync(account, jobId, None), s => s is { IsRunning: false }, TimeSpan.FromSeconds(30), $"job {jobId} finishing");
        return status!.Result!;
    }
}
