using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Testing.Kubernetes;

namespace Mizzen.Providers.Kubernetes.Tests.Infrastructure;

/// <summary>A <see cref="FakeKubernetesApiServer"/> and a Kubernetes account <c>fake</c> configured with the kubeconfig it writes.</summary>
public sealed class FakeCluster : IAsyncDisposable
{
    private FakeCluster(FakeKubernetesApiServer server, string folder, KubernetesAccounts accounts)
    {
        Server = server;
        Folder = folder;
        Accounts = accounts;
    }

    /// <summary>The bearer token the fake requires (KubernetesClient refuses a kubeconfig user without credentials).</summary>
    public const string Token = "fake-cluster-token";

    public FakeKubernetesApiServer Server { get; }

    public string Folder { get; }

    public KubernetesAccounts Accounts { get; }

    public KubernetesAccount Account => Accounts.Get("fake");

    public static async Task<FakeCluster> StartAsync(Action<KubernetesAccountOptions>? configure = null, TimeProvider? time = null)
    {
        var server = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesOptions { Namespaces = ["default", "prod", "kube-system"], RequiredToken = Token });
        var folder = Directory.CreateTempSubdirectory("mizzen-k8s-").FullName;
        var options = new KubernetesProviderOptions();
        var account = AccountOptions(server, folder);
        configure?.Invoke(account);
        options.Accounts["fake"] = account;
        return new FakeCluster(server, folder, new KubernetesAccounts(Options.Create(options), time ?? TimeProvider.System, NullLogger<KubernetesAccounts>.Instance));
    }

    public static KubernetesAccountOptions AccountOptions(FakeKubernetesApiServer server, string folder) =>
        new() { KubeconfigFile = server.WriteKubeconfig(folder), Context = "fake" };

    public async ValueTask DisposeAsync()
    {
        Accounts.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
