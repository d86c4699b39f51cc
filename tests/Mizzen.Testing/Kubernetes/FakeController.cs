using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// The controllers and the kubelet of the fake cluster, reduced to what a deployment tool observes: a Deployment gets a
/// ReplicaSet named <c>{deployment}-{pod-template-hash}</c> with the next <c>deployment.kubernetes.io/revision</c> (a
/// template equal to an older ReplicaSet's reuses it with a new revision, as <c>kubectl rollout undo</c> expects), the
/// ReplicaSet gets pods, pods become Running and Ready on the one node <see cref="NodeName"/>, and statuses and conditions
/// follow (Deployment Progressing/Available, ReplicaSet, StatefulSet, DaemonSet, Job). Old ReplicaSets scale to zero when
/// the new one is fully ready (a rolling update with unlimited surge; Recreate scales them down first). Switches make
/// images fail to pull, containers crash-loop, Deployments miss their progress deadline and Jobs finish.
/// It runs after every change in the background, or when a test calls <see cref="SettleAsync"/>.
/// </summary>
public sealed partial class FakeController
{
    public const string NodeName = "fake-node";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private static readonly FakeResourceType Pods = FakeResourceTypes.FindByKind("v1", "Pod")!;
    private static readonly FakeResourceType Events = FakeResourceTypes.FindByKind("v1", "Event")!;
    private static readonly FakeResourceType Deployments = FakeResourceTypes.FindByKind("apps/v1", "Deployment")!;
    private static readonly FakeResourceType ReplicaSets = FakeResourceTypes.FindByKind("apps/v1", "ReplicaSet")!;
    private static readonly FakeResourceType StatefulSets = FakeResourceTypes.FindByKind("apps/v1", "StatefulSet")!;
    private static readonly FakeResourceType DaemonSets = FakeResourceTypes.FindByKind("apps/v1", "DaemonSet")!;
    private static readonly FakeResourceType ControllerRevisions = FakeResourceTypes.FindByKind("apps/v1", "ControllerRevision")!;
    private static readonly FakeResourceType Jobs = FakeResourceTypes.FindByKind("batch/v1", "Job")!;

    private readonly FakeKubernetesApiServer server;
    private readonly Dictionary<string, bool> failingImages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> crashingImages = new(StringComparer.Ordinal);
    private readonly HashSet<string> stalled = new(StringComparer.Ordinal);
    private readonly Channel<bool> kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private (bool Succeed, string? Logs)? jobOutcome;
    private Task? loop;

    internal FakeController(FakeKubernetesApiServer server) => this.server = server;

    /// <summary>When false the controller leaves every object alone (tests then write statuses themselves with Put).</summary>
    public bool AutoRollout { get; set; } = true;

    /// <summary>The last exception a background pass threw (a bug in the fake); <see cref="SettleAsync"/> throws it.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Serialises the controller's passes with the garbage collector's deletions.</summary>
    internal Lock Gate { get; } = new();

    private FakeObjectStore Store => server.Store;

    /// <summary>Pods of this image stay Pending, their container Waiting with ImagePullBackOff (a Warning event says Failed to pull image).</summary>
    public void FailImagePull(string image)
    {
        lock (Gate)
        {
            failingImages[image] = true;
        }

        Kick();
    }

    /// <summary>Pods of this image run but their container crash-loops: Waiting CrashLoopBackOff, lastState terminated with <paramref name="exitCode"/>, not Ready.</summary>
    public void CrashLoop(string image, int exitCode = 1)
    {
        lock (Gate)
        {
            crashingImages[image] = exitCode;
        }

        Kick();
    }

    /// <summary>Adds one restart to every crash-looping container (what the kubelet's back-off does as time passes).</summary>
    public void RestartCrashLoopingPods()
    {
        lock (Gate)
        {
            foreach (var pod in Store.List(Pods, null).Items)
            {
                Store.Write(Pods, FakeObjectStore.Namespace(pod), FakeObjectStore.Name(pod), current =>
                {
                    if (current is null)
                    {
                        return null;
                    }

                    foreach (var status in (current["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        if (status["state"]?["waiting"]?["reason"]?.GetValue<string>() == "CrashLoopBackOff")
                        {
                            status["restartCount"] = Int(status["restartCount"], 0) + 1;
                        }
                    }

                    return current;
                });
            }
        }

        Kick();
    }

    /// <summary>The Deployment's Progressing condition turns False with reason ProgressDeadlineExceeded (until <see cref="ClearFailures"/>).</summary>
    public void StallProgress(string deploymentName)
    {
        lock (Gate)
        {
            stalled.Add(deploymentName);
        }

        Kick();
    }

    /// <summary>Image-pull failures, crash loops and stalled Deployments end; pods and statuses recover on the next pass.</summary>
    public void ClearFailures()
    {
        lock (Gate)
        {
            failingImages.Clear();
            crashingImages.Clear();
            stalled.Clear();
        }

        Kick();
    }

    /// <summary>
    /// From now on, every Job's pod finishes: Succeeded (exit 0) or Failed (exit 1), with <paramref name="logs"/> as its
    /// containers' logs, and the Job gets Complete or Failed. Until called, Jobs' pods keep running.
    /// </summary>
    public void CompleteJobs(bool succeed = true, string? logs = null)
    {
        lock (Gate)
        {
            jobOutcome = (succeed, logs);
        }

        Kick();
    }

    /// <summary>The log text of a pod's containers (every container of every pod of that name).</summary>
    public void SetPodLogs(string podName, string text) => server.SetPodLogs(podName, text);

    /// <summary>Runs the controller until a pass changes nothing, then returns (deterministic tests).</summary>
    public Task SettleAsync()
    {
        if (Failure is { } failure)
        {
            throw new InvalidOperationException("The fake Kubernetes controller failed in the background.", failure);
        }

        RunUntilStable();
        return Task.CompletedTask;
    }

    internal void StartBackground(CancellationToken ct)
    {
        Store.Changed += Kick;
        loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in kicks.Reader.ReadAllAsync(ct))
                {
                    try
                    {
                        RunUntilStable();
                    }
                    catch (Exception e)
                    {
                        Failure = e;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The server is stopping.
            }
        }, CancellationToken.None);
    }

    internal async Task StopAsync()
    {
        Store.Changed -= Kick;
        kicks.Writer.TryComplete();
        if (loop is not null)
        {
            await loop;
        }
    }

    private void Kick() => kicks.Writer.TryWrite(true);

    private void RunUntilStable()
    {
        lock (Gate)
        {
            if (!AutoRollout)
            {
                return;
            }

            for (var pass = 0; pass < 50; pass++)
            {
                var before = Store.Revision;
                Pass();
                if (Store.Revision == before)
                {
                    return;
                }
            }
        }
    }

    private void Pass()
    {
        foreach (var deployment in Store.List(Deployments, null).Items.Where(Live))
        {
            ReconcileDeployment(deployment);
        }

        foreach (var rs in Store.List(ReplicaSets, null).Items.Where(Live))
        {
            ReconcileReplicaSet(rs);
        }

        foreach (var sts in Store.List(StatefulSets, null).Items.Where(Live))
        {
            ReconcileStatefulSet(sts);
        }

        foreach (var ds in Store.List(DaemonSets, null).Items.Where(Live))
        {
            ReconcileDaemonSet(ds);
        }

        foreach (var job in Store.List(Jobs, null).Items.Where(Live))
        {
            ReconcileJob(job);
        }

        foreach (var pod in Store.List(Pods, null).Items.Where(Live))
        {
            Kubelet(pod);
        }

        foreach (var rs in Store.List(ReplicaSets, null).Items.Where(Live))
        {
            WriteStatus(ReplicaSets, rs, ReplicaSetStatus(rs));
        }

        foreach (var deployment in Store.List(Deployments, null).Items.Where(Live))
        {
            WriteStatus(Deployments, deployment, DeploymentStatus(deployment));
        }

        foreach (var sts in Store.List(StatefulSets, null).Items.Where(Live))
        {
            WriteStatus(StatefulSets, sts, StatefulSetStatus(sts));
        }

        foreach (var ds in Store.List(DaemonSets, null).Items.Where(Live))
        {
            WriteStatus(DaemonSets, ds, DaemonSetStatus(ds));
        }

        foreach (var job in Store.List(Jobs, null).Items.Where(Live))
        {
            WriteStatus(Jobs, job, JobStatus(job));
        }
    }

    private static bool Live(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is null;

    // ---- Deployments ----

    private void ReconcileDeployment(JsonObject deployment)
    {
        var ns = FakeObjectStore.Namespace(deployment);
        var name = FakeObjectStore.Name(deployment);
        var uid = FakeObjectStore.Uid(deployment)!;
        var spec = deployment["spec"] as JsonObject ?? [];
        var replicas = Int(spec["replicas"], 1);
        var template = spec["template"] as JsonObject ?? [];
        var owned = Owned(ReplicaSets, ns, uid);
        var maxRevision = owned.Select(Revision).DefaultIfEmpty(0).Max();
        var newRs = owned.FirstOrDefault(rs => TemplateEquals(rs["spec"]?["template"] as JsonObject, template));
        var paused = spec["paused"]?.GetValue<bool>() == true;
        if (newRs is null)
        {
            if (paused)
            {
                return;
            }

            var hash = TemplateHash(template);
            var rsName = $"{name}-{hash}";
            var rsTemplate = (JsonObject)template.DeepClone();
            Labels(rsTemplate)["pod-template-hash"] = hash;
            var selector = spec["selector"]?.DeepClone() as JsonObject ?? new JsonObject();
            var matchLabels = selector["matchLabels"] as JsonObject ?? (JsonObject)(selector["matchLabels"] = new JsonObject());
            matchLabels["pod-template-hash"] = hash;
            var labels = (JsonObject)(template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject());
            labels["pod-template-hash"] = hash;
            var recreate = spec["strategy"]?["type"]?.GetValue<string>() == "Recreate";
            newRs = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = rsName,
                    ["namespace"] = ns,
                    ["labels"] = labels,
                    ["annotations"] = new JsonObject
                    {
                        [RevisionAnnotation] = (maxRevision + 1).ToString(CultureInfo.InvariantCulture),
                        ["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture),
                        ["deployment.kubernetes.io/max-replicas"] = (replicas + Surge(spec, replicas)).ToString(CultureInfo.InvariantCulture),
                    },
                    ["ownerReferences"] = new JsonArray(OwnerReference(deployment)),
                },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = recreate && owned.Any(rs => PodCount(rs) > 0) ? 0 : replicas,
                    ["minReadySeconds"] = spec["minReadySeconds"]?.DeepClone() ?? 0,
                    ["selector"] = selector,
                    ["template"] = rsTemplate,
                },
            };
            if (Store.Get(ReplicaSets, ns, rsName) is not null)
            {
                return;
            }

            Store.Write(ReplicaSets, ns, rsName, _ => newRs);
            Event(deployment, "ScalingReplicaSet", $"Scaled up replica set {rsName} from 0 to {Int(newRs["spec"]!["replicas"], 0)}", Store.Now(),
                type: "Normal", component: "deployment-controller", key: $"{deployment["metadata"]?["generation"]}");
            owned.Add(newRs);
            maxRevision++;
        }
        else
        {
            var revision = Revision(newRs);
            var target = revision < maxRevision ? maxRevision + 1 : revision;
            var recreate = spec["strategy"]?["type"]?.GetValue<string>() == "Recreate";
            var others = owned.Where(rs => FakeObjectStore.Name(rs) != FakeObjectStore.Name(newRs)).ToList();
            var desired = paused ? Int(newRs["spec"]?["replicas"], 0) : recreate && others.Any(rs => PodCount(rs) > 0) ? 0 : replicas;
            Store.Write(ReplicaSets, ns, FakeObjectStore.Name(newRs), current =>
            {
                if (current is null)
                {
                    return null;
                }

                var annotations = Annotations(current);
                if (target != revision)
                {
                    var history = annotations["deployment.kubernetes.io/revision-history"]?.GetValue<string>();
                    annotations["deployment.kubernetes.io/revision-history"] = history is null ? revision.ToString(CultureInfo.InvariantCulture) : $"{history},{revision}";
                    annotations[RevisionAnnotation] = target.ToString(CultureInfo.InvariantCulture);
                }

                annotations["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture);
                annotations["deployment.kubernetes.io/max-replicas"] = (replicas + Surge(spec, replicas)).ToString(CultureInfo.InvariantCulture);
                ((JsonObject)current["spec"]!)["replicas"] = desired;
                return current;
            });
        }

        var newName = FakeObjectStore.Name(newRs);
        var fresh = Store.Get(ReplicaSets, ns, newName);
        var newReady = fresh is null ? 0 : Int(fresh["status"]?["readyReplicas"], 0);
        var recreating = spec["strategy"]?["type"]?.GetValue<string>() == "Recreate";
        var limit = Int(spec["revisionHistoryLimit"], 10);
        var old = owned.Where(rs => FakeObjectStore.Name(rs) != newName).OrderBy(Revision).ToList();
        foreach (var rs in old)
        {
            var oldReplicas = Int(Store.Get(ReplicaSets, ns, FakeObjectStore.Name(rs))?["spec"]?["replicas"], 0);
            if (!paused && (recreating || newReady >= replicas) && oldReplicas > 0)
            {
                Event(deployment, "ScalingReplicaSet", $"Scaled down replica set {FakeObjectStore.Name(rs)} from {oldReplicas} to 0", Store.Now(),
                    type: "Normal", component: "deployment-controller", key: $"{deployment["metadata"]?["generation"]}");
                Store.Write(ReplicaSets, ns, FakeObjectStore.Name(rs), current =>
                {
                    if (current is null)
                    {
                        return null;
                    }

                    ((JsonObject)current["spec"]!)["replicas"] = 0;
                    return current;
                });
            }
        }

        var idle = old.Where(rs => Int(Store.Get(ReplicaSets, ns, FakeObjectStore.Name(rs))?["spec"]?["replicas"], 0) == 0 && PodCount(rs) == 0).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - limit)))
        {
            Store.Write(ReplicaSets, ns, FakeObjectStore.Name(rs), _ => null);
        }

        var currentRevision = Revision(Store.Get(ReplicaSets, ns, newName) ?? newRs).ToString(CultureInfo.InvariantCulture);
        Store.Write(Deployments, ns, name, current =>
        {
            if (current is null)
            {
                return null;
            }

            Annotations(current)[RevisionAnnotation] = currentRevision;
            return current;
        });
    }

    private JsonObject DeploymentStatus(JsonObject deployment)
    {
        var ns = FakeObjectStore.Namespace(deployment);
        var name = FakeObjectStore.Name(deployment);
        var spec = deployment["spec"] as JsonObject ?? [];
        var desired = Int(spec["replicas"], 1);
        var template = spec["template"] as JsonObject ?? [];
        var owned = Owned(ReplicaSets, ns, FakeObjectStore.Uid(deployment)!);
        var newRs = owned.FirstOrDefault(rs => TemplateEquals(rs["spec"]?["template"] as JsonObject, template));
        int Sum(string field) => owned.Sum(rs => Int(rs["status"]?[field], 0));
        var replicas = Sum("replicas");
        var updated = newRs is null ? 0 : Int(newRs["status"]?["replicas"], 0);
        var ready = Sum("readyReplicas");
        var available = Sum("availableReplicas");
        var status = (JsonObject)(deployment["status"]?.DeepClone() ?? new JsonObject());
        status["observedGeneration"] = deployment["metadata"]?["generation"]?.DeepClone();
        SetCount(status, "replicas", replicas);
        SetCount(status, "updatedReplicas", updated);
        SetCount(status, "readyReplicas", ready);
        SetCount(status, "availableReplicas", available);
        SetCount(status, "unavailableReplicas", Math.Max(0, desired - available));
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        var now = Store.Now();
        var maxUnavailable = spec["strategy"]?["type"]?.GetValue<string>() == "Recreate" ? 0 : Scaled(spec["strategy"]?["rollingUpdate"]?["maxUnavailable"], desired, roundUp: false);
        if (available >= desired - maxUnavailable)
        {
            SetCondition(conditions, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now);
        }
        else
        {
            SetCondition(conditions, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now);
        }

        var rsName = newRs is null ? $"{name}" : FakeObjectStore.Name(newRs);
        bool isStalled;
        lock (Gate)
        {
            isStalled = stalled.Contains(name);
        }

        if (isStalled)
        {
            SetCondition(conditions, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.", now);
        }
        else if (spec["paused"]?.GetValue<bool>() == true)
        {
            SetCondition(conditions, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now);
        }
        else if (newRs is not null && updated == desired && replicas == desired && available == desired)
        {
            SetCondition(conditions, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.", now);
        }
        else
        {
            SetCondition(conditions, "Progressing", "True", newRs is null ? "NewReplicaSetCreated" : "ReplicaSetUpdated",
                newRs is null ? $"Created new replica set \"{rsName}\"" : $"ReplicaSet \"{rsName}\" is progressing.", now);
        }

        status["conditions"] = conditions;
        return status;
    }

    private static int Surge(JsonObject spec, int replicas) =>
        spec["strategy"]?["type"]?.GetValue<string>() == "Recreate" ? 0 : Scaled(spec["strategy"]?["rollingUpdate"]?["maxSurge"], replicas, roundUp: true);

    /// <summary>An int-or-percent field scaled against <paramref name="total"/> (percent of maxSurge rounds up, of maxUnavailable down).</summary>
    private static int Scaled(JsonNode? value, int total, bool roundUp)
    {
        if (value is JsonValue v && !v.TryGetValue<string>(out _))
        {
            return (int)FakeObjectStore.Number(v);
        }

        var text = value?.GetValue<string>() ?? "25%";
        if (text.EndsWith('%') && double.TryParse(text[..^1], CultureInfo.InvariantCulture, out var percent))
        {
            var scaled = total * percent / 100;
            return roundUp ? (int)Math.Ceiling(scaled) : (int)Math.Floor(scaled);
        }

        return int.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
    }

    // ---- ReplicaSets ----

    private void ReconcileReplicaSet(JsonObject rs)
    {
        var ns = FakeObjectStore.Namespace(rs);
        var name = FakeObjectStore.Name(rs);
        var desired = Int(rs["spec"]?["replicas"], 1);
        var pods = Owned(Pods, ns, FakeObjectStore.Uid(rs)!).Where(Live).ToList();
        for (var i = 0; pods.Count < desired; i++)
        {
            var podName = $"{name}-{Suffix($"{name}/{i}", 5)}";
            if (Store.Get(Pods, ns, podName) is not null)
            {
                continue;
            }

            var pod = NewPod(rs, podName, rs["spec"]?["template"] as JsonObject, []);
            pod["metadata"]!["generateName"] = $"{name}-";
            Store.Write(Pods, ns, podName, _ => pod);
            pods.Add(pod);
        }

        foreach (var extra in pods.OrderBy(p => IsReady(p) ? 1 : 0).ThenByDescending(p => p["metadata"]?["creationTimestamp"]?.GetValue<string>()).ThenByDescending(FakeObjectStore.Name).Take(Math.Max(0, pods.Count - desired)).ToList())
        {
            Store.Write(Pods, ns, FakeObjectStore.Name(extra), _ => null);
        }
    }

    private JsonObject ReplicaSetStatus(JsonObject rs)
    {
        var pods = Owned(Pods, FakeObjectStore.Namespace(rs), FakeObjectStore.Uid(rs)!).Where(Live).ToList();
        var ready = pods.Count(IsReady);
        var status = (JsonObject)(rs["status"]?.DeepClone() ?? new JsonObject());
        status["replicas"] = pods.Count;
        SetCount(status, "fullyLabeledReplicas", pods.Count);
        SetCount(status, "readyReplicas", ready);
        SetCount(status, "availableReplicas", ready);
        status["observedGeneration"] = rs["metadata"]?["generation"]?.DeepClone();
        return status;
    }

    // ---- Jobs ----

    private void ReconcileJob(JsonObject job)
    {
        var ns = FakeObjectStore.Namespace(job);
        var name = FakeObjectStore.Name(job);
        if (Owned(Pods, ns, FakeObjectStore.Uid(job)!).Count > 0)
        {
            return;
        }

        var podName = $"{name}-{Suffix(name, 5)}";
        var pod = NewPod(job, podName, job["spec"]?["template"] as JsonObject, new JsonObject
        {
            ["batch.kubernetes.io/controller-uid"] = FakeObjectStore.Uid(job),
            ["batch.kubernetes.io/job-name"] = name,
            ["controller-uid"] = FakeObjectStore.Uid(job),
            ["job-name"] = name,
        });
        pod["metadata"]!["generateName"] = $"{name}-";
        Store.Write(Pods, ns, podName, _ => pod);
    }

    private JsonObject JobStatus(JsonObject job)
    {
        var pods = Owned(Pods, FakeObjectStore.Namespace(job), FakeObjectStore.Uid(job)!);
        var status = (JsonObject)(job["status"]?.DeepClone() ?? new JsonObject());
        var now = Store.Now();
        status["startTime"] ??= now;
        var succeeded = pods.Count(p => p["status"]?["phase"]?.GetValue<string>() == "Succeeded");
        var failed = pods.Count(p => p["status"]?["phase"]?.GetValue<string>() == "Failed");
        var active = pods.Count - succeeded - failed;
        SetCount(status, "active", active);
        SetCount(status, "succeeded", succeeded);
        SetCount(status, "failed", failed);
        status["ready"] = pods.Count(IsReady);
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        if (succeeded > 0)
        {
            SetCondition(conditions, "SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", now, probe: true);
            SetCondition(conditions, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", now, probe: true);
            status["completionTime"] ??= now;
        }
        else if (failed > 0)
        {
            SetCondition(conditions, "FailureTarget", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now, probe: true);
            SetCondition(conditions, "Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now, probe: true);
        }

        if (conditions.Count > 0)
        {
            status["conditions"] = conditions;
        }

        return status;
    }

    // ---- Pods ----

    private JsonObject NewPod(JsonObject owner, string podName, JsonObject? template, JsonObject extraLabels)
    {
        var labels = (JsonObject)(template?["metadata"]?["labels"]?.DeepClone() ?? new JsonObject());
        foreach (var (key, value) in extraLabels)
        {
            labels[key] = value?.DeepClone();
        }

        var metadata = new JsonObject
        {
            ["name"] = podName,
            ["namespace"] = FakeObjectStore.Namespace(owner),
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(OwnerReference(owner)),
        };
        if (template?["metadata"]?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }

        var spec = (JsonObject)(template?["spec"]?.DeepClone() ?? new JsonObject());
        spec["nodeName"] = NodeName;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" },
        };
    }

    /// <summary>What the kubelet reports for a pod given the switches: Running and Ready, ImagePullBackOff, CrashLoopBackOff, or a finished Job pod.</summary>
    /// <remarks>Pods bound to another node (a test seeding pods with statuses of its own) are left alone; unbound pods are bound to <see cref="NodeName"/>.</remarks>
    private void Kubelet(JsonObject pod)
    {
        if (pod["spec"]?["nodeName"]?.GetValue<string>() is { } node && node != NodeName)
        {
            return;
        }

        var ns = FakeObjectStore.Namespace(pod)!;
        var name = FakeObjectStore.Name(pod);
        var now = Store.Now();
        var old = pod["status"] as JsonObject ?? [];
        var oldStatuses = (old["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var isJobPod = (pod["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => r?["kind"]?.GetValue<string>() == "Job");
        (bool Succeed, string? Logs)? outcome;
        Dictionary<string, bool> failing;
        Dictionary<string, int> crashing;
        lock (Gate)
        {
            outcome = isJobPod ? jobOutcome : null;
            failing = new Dictionary<string, bool>(failingImages);
            crashing = new Dictionary<string, int>(crashingImages);
        }

        var statuses = new JsonArray();
        var allReady = true;
        var anyPulling = false;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var containerName = container["name"]?.GetValue<string>() ?? "";
            var image = container["image"]?.GetValue<string>() ?? "";
            var previous = oldStatuses.FirstOrDefault(s => s["name"]?.GetValue<string>() == containerName);
            var startedAt = previous?["state"]?["running"]?["startedAt"]?.GetValue<string>()
                ?? previous?["state"]?["terminated"]?["startedAt"]?.GetValue<string>() ?? now;
            var containerId = $"containerd://{Fnv($"{ns}/{name}/{containerName}"):x8}{Fnv(image):x8}";
            var status = new JsonObject
            {
                ["name"] = containerName,
                ["image"] = image,
                ["imageID"] = $"{image}@sha256:{Fnv(image):x8}",
                ["containerID"] = containerId,
                ["restartCount"] = previous?["restartCount"]?.DeepClone() ?? 0,
            };
            if (failing.ContainsKey(image))
            {
                anyPulling = true;
                allReady = false;
                status["imageID"] = "";
                status.Remove("containerID");
                status["ready"] = false;
                status["started"] = false;
                status["state"] = new JsonObject
                {
                    ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = $"Back-off pulling image \"{image}\"" },
                };
                Event(pod, "Failed", $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found", now);
            }
            else if (crashing.TryGetValue(image, out var exitCode))
            {
                allReady = false;
                status["ready"] = false;
                status["started"] = false;
                status["restartCount"] = Math.Max(1, Int(status["restartCount"], 0));
                status["state"] = new JsonObject
                {
                    ["waiting"] = new JsonObject
                    {
                        ["reason"] = "CrashLoopBackOff",
                        ["message"] = $"back-off 10s restarting failed container={containerName} pod={name}_{ns}({FakeObjectStore.Uid(pod)})",
                    },
                };
                status["lastState"] = new JsonObject
                {
                    ["terminated"] = new JsonObject
                    {
                        ["exitCode"] = exitCode,
                        ["reason"] = "Error",
                        ["startedAt"] = startedAt,
                        ["finishedAt"] = previous?["lastState"]?["terminated"]?["finishedAt"]?.DeepClone() ?? now,
                        ["containerID"] = containerId,
                    },
                };
                Event(pod, "BackOff", $"Back-off restarting failed container {containerName} in pod {name}_{ns}({FakeObjectStore.Uid(pod)})", now);
            }
            else if (outcome is { } finished)
            {
                allReady = false;
                status["ready"] = false;
                status["started"] = false;
                status["state"] = new JsonObject
                {
                    ["terminated"] = new JsonObject
                    {
                        ["exitCode"] = finished.Succeed ? 0 : 1,
                        ["reason"] = finished.Succeed ? "Completed" : "Error",
                        ["startedAt"] = startedAt,
                        ["finishedAt"] = previous?["state"]?["terminated"]?["finishedAt"]?.DeepClone() ?? now,
                        ["containerID"] = containerId,
                    },
                };
                if (finished.Logs is { } text && previous?["state"]?["terminated"] is null)
                {
                    server.SetPodLogs(ns, name, containerName, text);
                }
            }
            else
            {
                status["ready"] = true;
                status["started"] = true;
                status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = startedAt } };
            }

            statuses.Add(status);
        }

        var phase = anyPulling ? "Pending"
            : outcome is { } o ? (o.Succeed ? "Succeeded" : "Failed")
            : "Running";
        var next = (JsonObject)old.DeepClone();
        next["phase"] = phase;
        next["hostIP"] = "10.0.0.10";
        next["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.10" });
        var h = Fnv($"{ns}/{name}");
        var podIp = $"10.244.{(h >> 8) & 0xff}.{Math.Max(2, h & 0xff)}";
        next["podIP"] = podIp;
        next["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        next["startTime"] ??= now;
        next["qosClass"] ??= "BestEffort";
        next["containerStatuses"] = statuses;
        var conditions = next["conditions"] as JsonArray ?? new JsonArray();
        var completed = outcome is not null && !anyPulling;
        SetCondition(conditions, "PodReadyToStartContainers", anyPulling ? "False" : "True", "", "", now, probe: true);
        SetCondition(conditions, "Initialized", "True", "", "", now, probe: true);
        SetCondition(conditions, "Ready", allReady ? "True" : "False", completed ? "PodCompleted" : allReady ? "" : "ContainersNotReady",
            completed || allReady ? "" : $"containers with unready status: [{string.Join(" ", statuses.Where(s => s?["ready"]?.GetValue<bool>() != true).Select(s => s?["name"]?.GetValue<string>()))}]", now, probe: true);
        SetCondition(conditions, "ContainersReady", allReady ? "True" : "False", completed ? "PodCompleted" : allReady ? "" : "ContainersNotReady",
            completed || allReady ? "" : $"containers with unready status: [{string.Join(" ", statuses.Where(s => s?["ready"]?.GetValue<bool>() != true).Select(s => s?["name"]?.GetValue<string>()))}]", now, probe: true);
        SetCondition(conditions, "PodScheduled", "True", "", "", now, probe: true);
        next["conditions"] = conditions;
        Store.Write(Pods, ns, name, current =>
        {
            if (current is null || FakeObjectStore.Uid(current) != FakeObjectStore.Uid(pod))
            {
                return current;
            }

            if (current["spec"] is JsonObject spec)
            {
                spec["nodeName"] = NodeName;
            }

            current["status"] = next;
            return current;
        });
    }

    /// <summary>Records an Event about <paramref name="involved"/> once per distinct key (a real kubelet or controller would count repeats).</summary>
    private void Event(JsonObject involved, string reason, string message, string now, string type = "Warning", string component = "kubelet", string key = "")
    {
        var ns = FakeObjectStore.Namespace(involved);
        var name = $"{FakeObjectStore.Name(involved)}.{Fnv(reason + message + key):x8}";
        if (Store.Get(Events, ns, name) is not null)
        {
            return;
        }

        Store.Write(Events, ns, name, _ => new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = involved["kind"]?.DeepClone(),
                ["namespace"] = ns,
                ["name"] = FakeObjectStore.Name(involved),
                ["uid"] = FakeObjectStore.Uid(involved),
                ["apiVersion"] = involved["apiVersion"]?.DeepClone(),
                ["resourceVersion"] = involved["metadata"]?["resourceVersion"]?.DeepClone(),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = component == "kubelet" ? new JsonObject { ["component"] = component, ["host"] = NodeName } : new JsonObject { ["component"] = component },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
            ["type"] = type,
            ["reportingComponent"] = component,
            ["reportingInstance"] = component == "kubelet" ? NodeName : "",
        });
    }

    // ---- helpers ----

    private void WriteStatus(FakeResourceType type, JsonObject obj, JsonObject status) =>
        Store.Write(type, FakeObjectStore.Namespace(obj), FakeObjectStore.Name(obj), current =>
        {
            if (current is null || current["metadata"]?["uid"]?.GetValue<string>() != FakeObjectStore.Uid(obj))
            {
                return current;
            }

            current["status"] = status.DeepClone();
            return current;
        });

    private List<JsonObject> Owned(FakeResourceType type, string? ns, string ownerUid) =>
        [.. Store.List(type, ns).Items.Where(o => (o["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .Any(r => r?["uid"]?.GetValue<string>() == ownerUid && r?["controller"]?.GetValue<bool>() == true))];

    private int PodCount(JsonObject rs) => Owned(Pods, FakeObjectStore.Namespace(rs), FakeObjectStore.Uid(rs)!).Count;

    private static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner["apiVersion"]?.DeepClone(),
        ["kind"] = owner["kind"]?.DeepClone(),
        ["name"] = FakeObjectStore.Name(owner),
        ["uid"] = FakeObjectStore.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Ready" && c?["status"]?.GetValue<string>() == "True");

    private static int Revision(JsonObject rs) =>
        int.TryParse(rs["metadata"]?["annotations"]?[RevisionAnnotation]?.GetValue<string>(), CultureInfo.InvariantCulture, out var r) ? r : 0;

    private static int Int(JsonNode? node, int fallback) => node is JsonValue ? (int)FakeObjectStore.Number(node) : fallback;

    private static JsonObject Labels(JsonObject template)
    {
        var metadata = template["metadata"] as JsonObject ?? (JsonObject)(template["metadata"] = new JsonObject());
        return metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
    }

    private static JsonObject Annotations(JsonObject obj)
    {
        var metadata = FakeObjectStore.Meta(obj);
        return metadata["annotations"] as JsonObject ?? (JsonObject)(metadata["annotations"] = new JsonObject());
    }

    private static void SetCount(JsonObject status, string field, int value)
    {
        if (value == 0)
        {
            status.Remove(field);
        }
        else
        {
            status[field] = value;
        }
    }

    /// <summary>Sets a condition, keeping lastTransitionTime while its status stays and lastUpdateTime while nothing changes. Pod and Job conditions (probe) have lastProbeTime instead of lastUpdateTime.</summary>
    private static void SetCondition(JsonArray conditions, string type, string status, string reason, string message, string now, bool probe = false)
    {
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        var same = existing is not null && existing["status"]?.GetValue<string>() == status;
        var unchanged = same && (existing!["reason"]?.GetValue<string>() ?? "") == reason && (existing["message"]?.GetValue<string>() ?? "") == message;
        if (unchanged)
        {
            return;
        }

        var condition = new JsonObject { ["type"] = type, ["status"] = status };
        if (probe)
        {
            condition["lastProbeTime"] = null;
        }
        else
        {
            condition["lastUpdateTime"] = now;
        }

        condition["lastTransitionTime"] = same ? existing!["lastTransitionTime"]?.DeepClone() : now;
        if (reason.Length > 0)
        {
            condition["reason"] = reason;
        }

        if (message.Length > 0)
        {
            condition["message"] = message;
        }

        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
    }

    private static bool TemplateEquals(JsonObject? rsTemplate, JsonObject template)
    {
        if (rsTemplate is null)
        {
            return false;
        }

        var copy = (JsonObject)rsTemplate.DeepClone();
        if (copy["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove("pod-template-hash");
        }

        return JsonNode.DeepEquals(Canonical(copy), Canonical(template));
    }

    /// <summary>The pod-template-hash: FNV-32a of the template, its decimal digits written in Kubernetes' "safe" alphabet (the shape of a real hash, not its value).</summary>
    internal static string TemplateHash(JsonObject template) => SafeEncode(Fnv(Canonical(template)!.ToJsonString()).ToString(CultureInfo.InvariantCulture));

    /// <summary>A deterministic name suffix of <paramref name="length"/> characters from the seed.</summary>
    internal static string Suffix(string seed, int length)
    {
        var builder = new StringBuilder();
        var hash = Fnv(seed);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[(int)(hash % (uint)Alphabet.Length)]);
            hash = (hash / (uint)Alphabet.Length) ^ Fnv($"{seed}/{i}");
        }

        return builder.ToString();
    }

    private static string SafeEncode(string digits) => string.Concat(digits.Select(c => Alphabet[c % Alphabet.Length]));

    internal static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }

    /// <summary>Object keys sorted, so equal templates written in different key orders compare and hash equal.</summary>
    /// <remarks>
    /// Null members and empty objects are left out, as decoding into the API's types does: <c>kubectl rollout undo</c> sends
    /// back a ReplicaSet's template with <c>creationTimestamp: null</c> and <c>resources: {}</c>, and it must still match.
    /// </remarks>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o
            .Select(kv => KeyValuePair.Create(kv.Key, Canonical(kv.Value)))
            .Where(kv => kv.Value is not null && !(kv.Value is JsonObject { Count: 0 }))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
