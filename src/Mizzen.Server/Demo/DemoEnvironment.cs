namespace Mizzen.Server.Demo;

/// <summary>
/// What the first-run demo sets up and its pipelines may refer to: the release bundles (<c>demo-v1.tar.gz</c> healthy,
/// <c>v2</c> healthy, <c>v3</c> faulty: 10 % errors and +150 ms), the accounts, clusters and load balancers.
/// </summary>
public sealed record DemoEnvironment(string BundleFolder)
{
    public const string Application = "demo";
    public const string Staging = "staging";
    public const string Prod = "prod";
    public const string StagingLoadBalancer = "demo-staging-lb";
    public const string ProdLoadBalancer = "demo-prod-lb";
    public const string StagingCluster = "demo-staging";
    public const string ProdCluster = "demo-prod";
    public const int Instances = 2;

    public static IReadOnlyList<string> Versions { get; } = ["v1", "v2", "v3"];

    /// <summary>Where <see cref="StagingLoadBalancer"/> listens (e.g. <c>http://127.0.0.1:21000</c>).</summary>
    public required Uri StagingUrl { get; init; }

    /// <summary>Where <see cref="ProdLoadBalancer"/> listens.</summary>
    public required Uri ProdUrl { get; init; }

    /// <summary>The bundle of one release, e.g. <c>BundlePath("v2")</c>.</summary>
    public string BundlePath(string version) => Path.Combine(BundleFolder, $"demo-{version}.tar.gz");

    /// <summary>
    /// The bundle path as a string with an expression, for stages whose version is a pipeline parameter:
    /// <c>BundlePathExpression("${parameters.version}")</c>.
    /// </summary>
    public string BundlePathExpression(string versionExpression) => Path.Combine(BundleFolder, $"demo-{versionExpression}.tar.gz");

    public bool BundlesExist => Versions.All(v => File.Exists(BundlePath(v)));

    /// <summary>Where the demo keeps its files: <c>&lt;data&gt;/demo</c>.</summary>
    public static string FolderIn(string dataFolder) => Path.Combine(dataFolder, "demo");
}
