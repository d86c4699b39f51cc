using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mizzen.Server.Tests.Cluster;

/// <summary>
/// Three Mizzen server processes on one PostgreSQL database; one is killed with SIGKILL while it holds leases.
/// <para>
/// <b>"Exactly once", precisely.</b> The engine's state changes are exactly-once: each message's handler commits its change
/// and the next messages in one transaction, so a handled message is never handled again. Task work is the exception that
/// cannot be avoided: a node that calls a webhook and dies before it commits the answer leaves the message to be redelivered,
/// so the call is made again (at-least-once, as in Orca). The test therefore checks, against a snapshot taken right after the
/// kill (the dead node can commit nothing more):
/// </para>
/// <list type="bullet">
/// <item>every started run exists once, ends SUCCEEDED, and has each stage once, every stage and task SUCCEEDED;</item>
/// <item>nothing finished is done again: a stage (or run) that was SUCCEEDED in the snapshot keeps its start and end times,
/// and its webhook is not called after the kill;</item>
/// <item>every webhook (one at the start of each run, one at its end) was answered for every run, and a run's webhook is
/// called a second time only after the kill and only when every earlier call came from the killed node (its answer died with
/// it). A survivor never repeats its own call, and nothing is repeated before the kill (which would mean a live node's
/// lease was taken over: the heartbeat failed);</item>
/// <item>the killed node's in-flight calls are made again by a survivor within the lease (plus claim latency), although the
/// killed node had held them for more than two leases before it died (so its heartbeat kept them).</item>
/// </list>
/// The retention sweep is the leader-only work observed: a node logs "Node {id} leads retention" when it takes the lock;
/// the killed node is the leader, and exactly one survivor takes over, while followers retry every 2 s.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class NodeDeathTests(ITestOutputHelper output)
{
    private const int Runs = 200;
    private const string Application = "cluster";
    private const string Leading = "leads retention";

    private static readonly string[] StageNames = ["start", "left", "right", "vars", "approve", "finish"];

    [Fact]
    public async Task Every_run_finishes_exactly_once_on_the_survivors_when_a_node_holding_leases_is_killed()
    {
        await using var hooks = await HookServer.StartAsync();
        using var cluster = await Cluster.StartAsync(3);
        hooks.Nodes = cluster.Nodes;

        // The victim is the retention leader, so one kill tests the leases and the leader hand-over.
        var leader = await Eventually.GetAsync(
            () => Task.FromResult(cluster.Nodes.FirstOrDefault(n => n.LinesContaining(Leading).Count > 0)),
            TimeSpan.FromSeconds(60), "a node to lead the retention sweep");
        var victim = leader;
        var survivors = cluster.Nodes.Where(n => n != victim).ToList();

        // The victim's final webhook calls are held, so it holds leases (and must heartbeat them) until it dies.
        hooks.Close("finish", victim.Id);
        await Cluster.CreatePipelineAsync(cluster.Nodes[0], Application, Pipeline(hooks));
        var ids = new List<string>();
        for (var i = 0; i < Runs; i++)
        {
            ids.Add(await Cluster.StartRunAsync(cluster.Nodes[i % 3], Application, "fanout"));
        }

        // Judgments are made through the API while runs are in flight, by a loop beside the rest of the test, through the
        // nodes alive at each pass; the kill is decided by a quicker watcher (a held call must not reach the webhook's 20 s
        // read timeout before the kill).
        var judged = new HashSet<string>(StringComparer.Ordinal);
        var turn = 0;
        var finished = false;
        var judging = Eventually.GetAsync(
            async () =>
            {
                if (Volatile.Read(ref finished))
                {
                    return "finished";
                }

                try
                {
                    await JudgeWaitingAsync([.. cluster.Alive], judged, turn++);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    // The kill can land while this turn's call to the victim is in flight: the next turn asks the nodes still alive.
                }

                return null;
            },
            TimeSpan.FromMinutes(8),
            "the judging loop to be told every run ended");
        List<Hit> heldAtKill;
        DateTimeOffset killedAt;
        Dictionary<string, JsonObject> snapshot;
        JsonArray final;
        try
        {
            await Eventually.GetAsync(
                () => Task.FromResult(Held(hooks, victim) is { Count: > 0 } held && DateTimeOffset.UtcNow - held.Min(h => h.ArrivedAt) > 2 * Cluster.Lease ? "ready" : null),
                TimeSpan.FromMinutes(3),
                "the victim to hold a final webhook call for more than two leases");

            heldAtKill = Held(hooks, victim);
            victim.Kill();
            killedAt = victim.KilledAt!.Value;
            hooks.Open("finish", victim.Id);
            snapshot = Index(await Cluster.ListAsync(survivors[0], Application));
            var doneAtKill = snapshot.Values.Count(e => Status(e) == "SUCCEEDED");
            output.WriteLine($"killed {victim.Id} holding {heldAtKill.Count} calls (the oldest for {(killedAt - heldAtKill.Min(h => h.ArrivedAt)).TotalSeconds:0.0} s); {doneAtKill} runs had succeeded");
            doneAtKill.ShouldBeGreaterThan(0, "the kill must land mid-way: some runs done");
            doneAtKill.ShouldBeLessThan(Runs, "the kill must land mid-way: some runs in flight");

            var poll = 0;
            final = await Eventually.GetAsync(
                async () =>
                {
                    var all = await Cluster.ListAsync(survivors[poll++ % 2], Application);
                    return all.Count == Runs && all.All(e => Status(e!) is not ("RUNNING" or "NOT_STARTED")) ? all : null;
                },
                TimeSpan.FromMinutes(5),
                "every run to end on the survivors");
        }
        finally
        {
            Volatile.Write(ref finished, true);
        }

        await judging;

        // None lost, none doubled, all succeeded, each stage once.
        var runs = Index(final);
        runs.Keys.Order().ShouldBe(ids.Order(), "every started run, once");
        foreach (var run in runs.Values)
        {
            Status(run).ShouldBe("SUCCEEDED", run.ToJsonString());
            var stages = run["stages"]!.AsArray();
            stages.Select(s => s!["name"]!.GetValue<string>()).Order().ShouldBe(StageNames.Order(), "each stage once");
            stages.ShouldAllBe(s => s!["status"]!.GetValue<string>() == "SUCCEEDED" && s["tasks"]!.AsArray().All(t => t!["status"]!.GetValue<string>() == "SUCCEEDED"));
            Stage(run, "vars")["outputs"]!["run"]!.GetValue<string>().ShouldBe(Id(run));
            Stage(run, "approve")["context"]!["judgmentStatus"]!.GetValue<string>().ShouldBe("continue");
        }

        // Nothing finished before the kill was done again.
        foreach (var (id, before) in snapshot)
        {
            var after = runs[id];
            if (Status(before) == "SUCCEEDED")
            {
                after["endTime"]!.GetValue<long>().ShouldBe(before["endTime"]!.GetValue<long>(), $"run {id} completed once");
            }

            foreach (var stage in before["stages"]!.AsArray().Where(s => s!["status"]!.GetValue<string>() == "SUCCEEDED"))
            {
                var name = stage!["name"]!.GetValue<string>();
                var now = Stage(after, name);
                (now["startTime"]!.GetValue<long>(), now["endTime"]!.GetValue<long>())
                    .ShouldBe((stage["startTime"]!.GetValue<long>(), stage["endTime"]!.GetValue<long>()), $"stage {name} of {id} ran once");
                if (name is "start" or "finish")
                {
                    hooks.HitsOf(name).Where(h => h.Run == id).ShouldAllBe(h => h.ArrivedAt < killedAt, $"the {name} webhook of {id} was done before the kill");
                }
            }
        }

        // Each webhook answered for every run; repeated only after the kill, and only what the victim had called.
        hooks.Hits.ShouldAllBe(h => h.Node != null, "every webhook call is attributed to a node");
        foreach (var kind in new[] { "start", "finish" })
        {
            foreach (var id in ids)
            {
                var calls = hooks.HitsOf(kind).Where(h => h.Run == id).OrderBy(h => h.ArrivedAt).ToList();
                calls.Count(h => h.AnsweredAt is not null).ShouldBeGreaterThanOrEqualTo(1, $"the {kind} webhook of {id} was answered");
                for (var i = 1; i < calls.Count; i++)
                {
                    calls[i].ArrivedAt.ShouldBeGreaterThan(killedAt, $"a repeat of {kind} for {id} only after the kill");
                    calls.Take(i).ShouldAllBe(h => h.Node == victim.Id, $"a repeat of {kind} for {id} only of the victim's calls");
                }
            }
        }

        // The victim's leases were taken over within the lease.
        heldAtKill.Count.ShouldBeGreaterThan(0);
        foreach (var held in heldAtKill)
        {
            var retry = hooks.HitsOf("finish").Where(h => h.Run == held.Run && h.ArrivedAt > killedAt).MinBy(h => h.ArrivedAt);
            retry.ShouldNotBeNull($"the held call of {held.Run} was made again");
            retry.Node.ShouldNotBe(victim.Id);
            var takeover = retry.ArrivedAt - killedAt;
            output.WriteLine($"{held.Run}: taken over by {retry.Node} {takeover.TotalMilliseconds:0} ms after the kill");
            takeover.ShouldBeLessThan(Cluster.Lease + TimeSpan.FromSeconds(3), "lease expiry plus claim latency");
        }

        hooks.Hits.Where(h => h.ArrivedAt > killedAt).ShouldAllBe(h => h.Node != victim.Id, "the dead node made no call after its death");

        // The leader-only sweep: one leader before the kill (the victim), exactly one survivor after it.
        var newLeader = await Eventually.GetAsync(
            () => Task.FromResult(survivors.FirstOrDefault(n => n.LinesContaining(Leading).Count > 0)),
            TimeSpan.FromSeconds(60), "a survivor to take over the retention sweep");
        victim.LinesContaining(Leading).Count.ShouldBe(1);
        newLeader.LinesContaining(Leading).Count.ShouldBe(1);
        newLeader.LinesContaining(Leading)[0].ReceivedAt.ShouldBeGreaterThan(killedAt, "no second leader while the first lived");
        survivors.Where(n => n != newLeader).ShouldAllBe(n => n.LinesContaining(Leading).Count == 0, "one leader at a time");
        output.WriteLine($"retention leader: {victim.Id}, then {newLeader.Id} {(newLeader.LinesContaining(Leading)[0].ReceivedAt - killedAt).TotalMilliseconds:0} ms after the kill");
    }

    private static string Pipeline(HookServer hooks) => $$"""
        {"application":"{{Application}}","name":"fanout","stages":[
          {"refId":"1","type":"webhook","name":"start","method":"POST","url":"{{hooks.Url("start")}}/${execution.id}"},
          {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"left","waitTime":1},
          {"refId":"3","requisiteStageRefIds":["1"],"type":"wait","name":"right","waitTime":2},
          {"refId":"4","requisiteStageRefIds":["1"],"type":"evaluateVariables","name":"vars","variables":[{"key":"run","value":"${execution.id}"}]},
          {"refId":"5","requisiteStageRefIds":["2","3","4"],"type":"manualJudgment","name":"approve","instructions":"ship?"},
          {"refId":"6","requisiteStageRefIds":["5"],"type":"webhook","name":"finish","method":"POST","url":"{{hooks.Url("finish")}}/${execution.id}"}]}
        """;

    /// <summary>Approves every judgment now waiting, through the nodes in turn (a judgment reaches whichever node runs the stage).</summary>
    private static async Task JudgeWaitingAsync(IReadOnlyList<ClusterNode> nodes, HashSet<string> judged, int turn)
    {
        var list = await Cluster.ListAsync(nodes[turn % nodes.Count], Application);
        var i = turn;
        foreach (var run in list.Select(r => r!.AsObject()).Where(r => !judged.Contains(Id(r))))
        {
            var approve = Stage(run, "approve");
            if (approve["status"]!.GetValue<string>() == "RUNNING" && await Cluster.ApproveAsync(nodes[i++ % nodes.Count], Id(run), approve["id"]!.GetValue<string>()))
            {
                judged.Add(Id(run));
            }
        }
    }

    private static List<Hit> Held(HookServer hooks, ClusterNode victim) =>
        [.. hooks.HitsOf("finish").Where(h => h.Node == victim.Id && h.AnsweredAt is null && h.AbortedAt is null)];

    private static Dictionary<string, JsonObject> Index(JsonArray runs) => runs.Select(r => r!.AsObject()).ToDictionary(Id, StringComparer.Ordinal);

    private static string Id(JsonObject run) => run["id"]!.GetValue<string>();

    private static string Status(JsonNode run) => run["status"]!.GetValue<string>();

    private static JsonObject Stage(JsonObject run, string name) =>
        run["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == name)!.AsObject();
}
