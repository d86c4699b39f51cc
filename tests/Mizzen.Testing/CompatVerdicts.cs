namespace Mizzen.Testing;

/// <summary>
/// The verdict Mizzen's validation must give each pipeline in <c>shared/compat/pipelines/</c> and
/// <c>shared/compat/pipelines-wild/</c>, written down after reading every file: per file, one entry per pipeline in file
/// order (a file may hold a list, or a dinghyfile's <c>pipelines</c>). An entry is <c>runnable</c>, <c>runnable: TEXT</c>
/// (TEXT is in one of its warnings) or <c>not runnable: TEXT</c> (TEXT is in one of its errors: the key reason).
/// A change in what Mizzen can run changes a line here, on purpose.
/// </summary>
public static class CompatVerdicts
{
    public const string Runnable = "runnable";

    private const string HelmNotAvailable = "not runnable: templateRenderer HELM";

    /// <summary>
    /// The verdict offline (<c>mizzen pipeline validate</c>): the same, except that a HELM bake refused because no helm binary is
    /// configured is runnable with a warning there, since the CLI cannot see the server's <c>Mizzen:Kubernetes:Helm:Path</c>.
    /// </summary>
    public static string Offline(string verdict) =>
        verdict.StartsWith(HelmNotAvailable, StringComparison.Ordinal) && verdict.EndsWith(" is not available", StringComparison.Ordinal)
            ? $"runnable: {verdict["not runnable: ".Length..^" is not available".Length]} needs a helm binary on the server"
            : verdict;

    private const string Bake = "not runnable: type 'bake'";
    private const string FindAmi = "not runnable: type 'findAmi'";
    private const string Jenkins = "not runnable: type 'jenkins'";
    private const string NoStages = "runnable: the pipeline has no stages";

    public static IReadOnlyDictionary<string, string[]> Pipelines { get; } = new Dictionary<string, string[]>
    {
        // Kubernetes manifests (stage types Mizzen has); exported without application or name, which a pipeline needs.
        ["armory-docs-bluegreen-deployment-pipeline.json"] = ["not runnable: application: required"],
        ["deck-fixture-appengine-pipelineConfigs.json"] =
        [
            "not runnable: cloud provider 'appengine'",
            "not runnable: cloud provider 'appengine'",
            "not runnable: cloud provider 'appengine'",
            // A wait stage started by a pubsub trigger: runs; no subscription is configured where the compat tests validate, so the trigger is a warning.
            "runnable: no Google Pub/Sub subscriptions are configured here",
        ],
        ["deck-fixture-cloudfoundry-pipelineConfigs.json"] = ["not runnable: type 'bakeCloudFoundryManifest'"],
        ["deck-fixture-ecs-pipelineConfigs.json"] = ["not runnable: cloud provider 'ecs'"],
        ["deck-fixture-google-pipelineConfigs.json"] =
        [
            "not runnable: cloud provider 'gce'",
            "not runnable: cloud provider 'gce'",
            "not runnable: cloud provider 'gce'",
            Bake,
            Bake,
            "not runnable: type 'cloneServerGroup'",
            NoStages,
            Bake,
            // webhook + wait: both stage types exist.
            Runnable,
        ],
        ["echo-test-pipelines-netflix-list.json"] =
        [
            NoStages,
            // Its jenkins trigger is checked; no Jenkins master is configured where the verdicts are taken.
            "runnable: no Jenkins masters are configured",
            NoStages,
            Jenkins,
            "not runnable: cloud provider 'aws'",
            FindAmi,
            "not runnable: cloud provider 'aws'",
            Runnable,
            NoStages,
            Jenkins,
            Jenkins,
            "not runnable: cluster.account: required for a 'deploy' stage",
            Bake,
            Bake,
            "not runnable: cluster.account: required for a 'deploy' stage",
            "not runnable: cloud provider 'aws'",
            Bake,
            Bake,
            FindAmi,
            Bake,
            FindAmi,
            Bake,
            Bake,
            Bake,
            Bake,
            Bake,
            Bake,
            NoStages,
            Bake,
            FindAmi,
            FindAmi,
            Bake,
            Bake,
            Bake,
            Bake,
        ],
        // deployManifest and friends: the Kubernetes provider's stage types.
        ["gcp-istio-canary-deploy-pipeline.json"] = [Runnable],
        ["gcp-istio-canary-failed-pipeline.json"] = [Runnable],
        ["gcp-istio-canary-prod-deploy-pipeline.json"] = [Runnable],
        // checkPreconditions with a clusterSize precondition (a cloud cluster Mizzen cannot ask about).
        ["gcp-istio-canary-trigger-pipeline.json"] = ["not runnable: unknown precondition type 'clusterSize'"],
        ["kayenta-scratch-stackdriver-pipeline.json"] = ["not runnable: type 'stackdriverFetch'"],
        // An ad-hoc pipeline (wait) carrying the trigger it was started with.
        ["orca-adhoc-pipeline-with-pipeline-trigger.json"] = [Runnable],
        ["orca-converted-pipeline-template-source.json"] = ["not runnable: cloud provider 'aws'"],
        ["orca-mpt-v1-stageReplacement-expected.json"] = ["not runnable: type 'findImageFromTags'"],
        // One run of a pipeline, not a config.
        ["orca-pipelinetrigger-execution.json"] = ["not runnable: this is a stored execution"],
        // Their deployManifest stages carry "canary": true, which deployManifest does not read: ignored, with a warning.
        ["spinnaker-codelab-kayenta-workshop-deploy-canary.json"] = ["runnable: stages[0].canary: not a field of a 'deployManifest' stage"],
        // The same "canary" warnings, and two pubsub triggers whose subscriptions are not configured where the verdicts are taken.
        ["spinnaker-codelab-kayenta-workshop-deploy-to-staging.json"] = ["runnable: no Google Pub/Sub subscriptions are configured here"],
        ["spinnaker-codelab-kayenta-workshop-promotion.json"] = ["runnable: stages[0].canary: not a field of a 'deployManifest' stage"],
        ["spinnaker-codelab-source-to-prod-f1d724be.json"] = ["runnable: no Google Pub/Sub subscriptions are configured here"],
        ["spinnaker-solutions-bluegreen-pipeline.json"] = [Runnable],
        // findArtifactFromExecution (its single expectedArtifact) validates, and so do the manifest stages.
        ["spinnaker-solutions-kayenta-automated-canary-1-10.json"] = [Runnable],
        ["spinnaker-solutions-kayenta-canary-deploy.json"] = [Runnable],
        ["spinnaker-solutions-kayenta-simple-deploy.json"] = [Runnable],
    };

    public static IReadOnlyDictionary<string, string[]> Wild { get; } = new Dictionary<string, string[]>
    {
        // deployManifest, started by a docker trigger whose registry account is not configured where the verdicts are taken.
        ["DnZmfr-spinnaker-canary-demo-trigger-deploy.json"] = ["runnable: no docker registry accounts are configured"],
        ["armory-pilots-pipelines-canary-dinghyfile.json"] = [Runnable],
        // Wrong in its source: the manifest artifact id ends in …b87f, the expected artifact's in …b87g.
        ["bmenasha-repository1-spinnaker-pipeline.json"] = ["not runnable: artifact id '62108410-5628-469f-810a-38da8cb9b87f' matches no expected artifact"],
        // A wait whose Slack notification (sent: docs/notifications.md) and pubsub trigger hold ${PLACEHOLDER}s for sed: runs.
        ["homedepot-spingo-onboarding-notifications-pipeline.json"] = [Runnable],
        ["spinnaker-plugins-aws-lambda-deployment-plugin-spinnaker-scenario2.json"] = ["not runnable: type 'Aws.LambdaDeploymentStage'"],
        ["spinnaker-plugins-aws-lambda-deployment-plugin-spinnaker-scenario7.json"] = ["not runnable: type 'Aws.LambdaDeleteStage'"],
        ["spinnaker-spinnaker-deck-gce-load-balancers-pipelineConfigs.json"] =
            ["not runnable: type 'upsertLoadBalancers'", "not runnable: type 'upsertLoadBalancers'"],
        // A HELM2 bakeManifest: helm renders only where Mizzen:Kubernetes:Helm:Path names a helm binary, and none is configured
        // where the verdicts are taken; offline it is a warning (see Offline). The second pipeline's deployManifest runs.
        ["spinnaker-spinnaker-deck-kubernetes-pipelineConfigs.json"] = ["not runnable: templateRenderer HELM2 is not available", Runnable],
        ["spinnaker-spinnaker-deck-simple-wait-pipeline.json"] = [Runnable],
        ["spinnaker-spinnaker-kayenta-scratch-atlas-pipeline.json"] = ["not runnable: type 'atlasFetch'"],
        ["spinnaker-spinnaker-orca-adhoc-pipelineRef-trigger.json"] = [Runnable],
        // Rendered from a v1 template: four waits and an email notification (sent: docs/notifications.md).
        ["spinnaker-spinnaker-orca-mpt-v1-example-expected.json"] = [Runnable],
        ["spinnaker-spinnaker-orca-mpt-v1-partials-expected.json"] = [Jenkins],
        // Wrong in its source: keepWaitingPipelines (and two more keys) twice; the last value is used, with a warning. Its
        // deployManifest stages run.
        ["viglesiasce-continuous-delivery-spinnaker-gke-pipeline-deploy.json"] = ["runnable: duplicate key 'keepWaitingPipelines'"],
    };
}
