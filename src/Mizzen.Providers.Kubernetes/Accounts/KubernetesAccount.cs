using k8s;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Caching;

namespace Mizzen.Providers.Kubernetes.Accounts;

/// <summary>
/// One configured Kubernetes account: its name, what of the cluster it may touch, its <see cref="KubernetesResourceClient"/> (built on
/// first use, so a cluster that is down does not stop Mizzen from starting) and its list+watch <see cref="KubernetesResourceCache"/>.
/// <see cref="ToString"/> and <see cref="Describe"/> never show credentials.
/// </summary>
public sealed class KubernetesAccount : IDisposable
{
    private readonly Lazy<KubernetesResourceClient> client;
    private readonly Lazy<KubernetesResourceCache> cache;

    internal KubernetesAccount(string name, KubernetesAccountOptions options, TimeProvider time, KubernetesProviderOptions provider, Microsoft.Extensions.Logging.ILogger logger)
    {
        Name = name;
        Options = options;
        client = new Lazy<KubernetesResourceClient>(() => new KubernetesResourceClient(new KubernetesConnection(Configuration())));
        cache = new Lazy<KubernetesResourceCache>(() => new KubernetesResourceCache(this, time, provider.WatchTimeout, logger));
    }

    public string Name { get; }

    public KubernetesAccountOptions Options { get; }

    public string DefaultNamespace => Options.DefaultNamespace;

    /// <summary>The account's API client (created on first use; a bad kubeconfig fails here, naming the account and file).</summary>
    public KubernetesResourceClient Client => client.Value;

    /// <summary>The account's list+watch cache: reads and stability checks consult it instead of the API.</summary>
    public KubernetesResourceCache Cache => cache.Value;

    public bool IsNamespaceAllowed(string? ns) =>
        ns is null
        || ((Options.Namespaces.Count == 0 || Options.Namespaces.Contains(ns, StringComparer.Ordinal))
            && !Options.OmitNamespaces.Contains(ns, StringComparer.Ordinal));

    public bool IsKindAllowed(string kind) => !Options.OmitKinds.Contains(kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>Fails with a validation error naming the account and what it allows when the namespace or kind is off limits.</summary>
    public void EnsureAllowed(string kind, string? ns, string location)
    {
        if (!IsKindAllowed(kind))
        {
            throw new ValidationException(location, $"account '{Name}' does not manage kind '{kind}' (omitKinds: {string.Join(", ", Options.OmitKinds)})");
        }

        if (!IsNamespaceAllowed(ns))
        {
            var allowed = Options.Namespaces.Count == 0 ? $"any but {string.Join(", ", Options.OmitNamespaces)}" : string.Join(", ", Options.Namespaces);
            throw new ValidationException(location, $"account '{Name}' may not use namespace '{ns}' (allowed: {allowed})");
        }
    }

    /// <summary>What the account is, for logs and the API: where credentials come from, never what they are.</summary>
    public string Describe() =>
        Options.ServiceAccount
            ? $"kubernetes account '{Name}' (in-cluster service account)"
            : $"kubernetes account '{Name}' (kubeconfig {Options.KubeconfigFile}{(string.IsNullOrEmpty(Options.Context) ? "" : ", context " + Options.Context)})";

    public override string ToString() => Describe();

    public void Dispose()
    {
        if (cache.IsValueCreated)
        {
            cache.Value.Dispose();
        }

        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }

    private KubernetesClientConfiguration Configuration()
    {
        try
        {
            if (Options.ServiceAccount)
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }

            var file = Options.KubeconfigFile!.StartsWith('~')
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Options.KubeconfigFile.TrimStart('~', '/'))
                : Options.KubeconfigFile;
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(file, string.IsNullOrWhiteSpace(Options.Context) ? null : Options.Context);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            // The client's messages name files and contexts, not secrets.
            throw new ValidationException($"Mizzen:Kubernetes:Accounts:{Name}", $"{Describe()} cannot be used: {e.Message}");
        }
    }
}
