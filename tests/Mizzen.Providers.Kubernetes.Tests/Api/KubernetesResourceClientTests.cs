using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Api;

public sealed class KubernetesResourceClientTests : IAsyncLifetime
{
    private FakeCluster cluster = null!;

    private KubernetesResourceClient Client => cluster.Account.Client;

    public async Task InitializeAsync() => cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private static JsonObject ConfigMap(string name, string ns = "default", string? app = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app ?? name } },
        ["data"] = new JsonObject { ["key"] = "value" },
    };

    [Fact]
    public async Task Create_get_list_by_label_and_delete_go_to_the_api_server()
    {
        await Client.CreateAsync(ConfigMap("a", app: "shop"), CancellationToken.None);
        await Client.CreateAsync(ConfigMap("b", app: "other"), CancellationToken.None);

        var got = await Client.GetAsync(new ResourceKey("v1", "ConfigMap", "default", "a"), CancellationToken.None);
        var listed = await Client.ListAsync("v1", "ConfigMap", "default", labelSelector: "app=shop");

        got!["data"]!["key"]!.GetValue<string>().ShouldBe("value");
        listed.Items.Select(i => i["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["a"]);
        listed.Items[0]["kind"]!.GetValue<string>().ShouldBe("ConfigMap");
        listed.ResourceVersion.ShouldNotBeEmpty();
        (await Client.DeleteAsync(new ResourceKey("v1", "ConfigMap", "default", "a"), PropagationPolicy.Background, CancellationToken.None)).ShouldBeTrue();
        (await Client.DeleteAsync(new ResourceKey("v1", "ConfigMap", "default", "a"), PropagationPolicy.Background, CancellationToken.None)).ShouldBeFalse();
        (await Client.GetAsync(new ResourceKey("v1", "ConfigMap", "default", "a"), CancellationToken.None)).ShouldBeNull();
        cluster.Server.Requests.Where(r => r.Verb == "delete").ShouldAllBe(r => r.Body.Contains("\"propagationPolicy\":\"Background\""));
    }

    [Fact]
    public async Task Creating_twice_is_a_conflict_that_names_the_resource()
    {
        await Client.CreateAsync(ConfigMap("a"), CancellationToken.None);

        var error = await Should.ThrowAsync<KubernetesApiException>(() => Client.CreateAsync(ConfigMap("a"), CancellationToken.None));

        error.IsConflict.ShouldBeTrue();
        error.Kind.ShouldBe(ErrorKind.Conflict);
        error.Message.ShouldContain("/api/v1/namespaces/default/configmaps");
        error.Reason.ShouldBe("AlreadyExists");
    }

    [Fact]
    public async Task Each_patch_type_is_sent_with_its_content_type()
    {
        await Client.CreateAsync(ConfigMap("a"), CancellationToken.None);
        var key = new ResourceKey("v1", "ConfigMap", "default", "a");

        await Client.PatchAsync(key, PatchType.StrategicMerge, JsonNode.Parse("""{"data":{"s":"1"}}""")!, CancellationToken.None);
        await Client.PatchAsync(key, PatchType.Merge, JsonNode.Parse("""{"data":{"m":"2"}}""")!, CancellationToken.None);
        var result = await Client.PatchAsync(key, PatchType.Json, JsonNode.Parse("""[{"op":"add","path":"/data/j","value":"3"}]""")!, CancellationToken.None);

        result["data"]!.ToJsonString().ShouldBe("""{"key":"value","s":"1","m":"2","j":"3"}""");
        cluster.Server.Requests.Where(r => r.Verb == "patch").Select(r => r.ContentType!.Split(';')[0])
            .ShouldBe(["application/strategic-merge-patch+json", "application/merge-patch+json", "application/json-patch+json"]);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_updates_with_Mizzens_field_manager()
    {
        var manifest = ConfigMap("applied");

        await Client.ApplyAsync(manifest, CancellationToken.None);
        manifest["data"]!["key"] = "changed";
        var updated = await Client.ApplyAsync(manifest, CancellationToken.None);

        updated["data"]!["key"]!.GetValue<string>().ShouldBe("changed");
        var applies = cluster.Server.Requests.Where(r => r.Verb == "patch").ToList();
        applies.Count.ShouldBe(2);
        applies.ShouldAllBe(r => r.ContentType!.StartsWith("application/apply-patch+yaml") && r.Query.Contains("fieldManager=mizzen"));
    }

    [Fact]
    public async Task Update_reads_again_and_retries_when_someone_else_wrote_in_between()
    {
        await Client.CreateAsync(ConfigMap("a"), CancellationToken.None);
        var key = new ResourceKey("v1", "ConfigMap", "default", "a");
        var attempts = 0;

        var result = await Client.UpdateAsync(key, obj =>
        {
            if (++attempts == 1)
            {
                // a concurrent writer changes the object after our read: our PUT carries a stale resourceVersion
                var other = cluster.Server.Get("v1", "ConfigMap", "default", "a")!;
                other["data"]!["other"] = "x";
                cluster.Server.Put(other);
            }

            obj["data"]!["mine"] = "y";
            return true;
        }, CancellationToken.None);

        attempts.ShouldBe(2);
        result!["data"]!["other"]!.GetValue<string>().ShouldBe("x");
        result["data"]!["mine"]!.GetValue<string>().ShouldBe("y");
        cluster.Server.Requests.Count(r => r.Verb == "update" && r.StatusCode == 409).ShouldBe(1);
    }

    [Fact]
    public async Task A_watch_reports_changes_after_the_listed_version()
    {
        var list = await Client.ListAsync("v1", "ConfigMap", "default");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<WatchEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Client.WatchAsync(list.Kind, "default", list.ResourceVersion, TimeSpan.FromSeconds(30), cancellationToken: stop.Token))
            {
                events.Add(change);
                if (change.Type == "DELETED")
                {
                    return;
                }
            }
        });

        await Client.CreateAsync(ConfigMap("w"), CancellationToken.None);
        await Client.PatchAsync(new ResourceKey("v1", "ConfigMap", "default", "w"), PatchType.Merge, JsonNode.Parse("""{"data":{"x":"1"}}""")!, CancellationToken.None);
        await Client.DeleteAsync(new ResourceKey("v1", "ConfigMap", "default", "w"), null, CancellationToken.None);
        await watching;

        events.Where(e => e.Type != "BOOKMARK").Select(e => e.Type).ShouldBe(["ADDED", "MODIFIED", "DELETED"]);
    }

    [Fact]
    public async Task Custom_resources_are_found_through_discovery()
    {
        var kind = await Client.KindAsync("networking.istio.io/v1beta1", "VirtualService", CancellationToken.None);

        kind.Plural.ShouldBe("virtualservices");
        var error = await Should.ThrowAsync<ValidationException>(() => Client.KindAsync("example.com/v1", "Widget", CancellationToken.None));
        error.Message.ShouldContain("example.com/v1");
    }

    [Fact]
    public async Task Pod_logs_are_read_by_container_and_tail()
    {
        cluster.Server.Put(JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""")!.AsObject());
        cluster.Server.SetPodLogs("default", "p", "c", "one\ntwo\nthree\n");

        var tail = await Client.ReadLogAsync("default", "p", "c", 2, CancellationToken.None);

        tail.ShouldBe("two\nthree\n");
    }
}
