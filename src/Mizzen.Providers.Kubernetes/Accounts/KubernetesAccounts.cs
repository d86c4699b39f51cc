using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Api;

namespace Mizzen.Providers.Kubernetes.Accounts;

/// <summary>
/// The configured Kubernetes accounts by name (<c>Mizzen:Kubernetes:Accounts:{name}</c>). Configuration mistakes (neither a kubeconfig
/// file nor <c>serviceAccount</c>) stop start-up naming the account; an unknown name is a <see cref="NotFoundException"/> naming the
/// configured ones.
/// </summary>
public sealed class KubernetesAccounts : IDisposable
{
    private readonly Dictionary<string, KubernetesAccount> byName = new(StringComparer.OrdinalIgnoreCase);

    public KubernetesAccounts(IOptions<KubernetesProviderOptions> options, TimeProvider time, ILogger<KubernetesAccounts> logger)
    {
        var problems = new List<ValidationProblem>();
        foreach (var (name, account) in options.Value.Accounts)
        {
            if (!account.ServiceAccount && string.IsNullOrWhiteSpace(account.KubeconfigFile))
            {
                problems.Add(new ValidationProblem($"{KubernetesProviderOptions.SectionName}:Accounts:{name}", "needs 'kubeconfigFile' (with an optional 'context') or 'serviceAccount: true'"));
                continue;
            }

            byName[name] = new KubernetesAccount(name, account, time, options.Value, logger);
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }
    }

    /// <summary>Account names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. byName.Keys.Order(StringComparer.Ordinal)];

    public IEnumerable<KubernetesAccount> All => byName.Values;

    public bool TryGet(string name, out KubernetesAccount account) => byName.TryGetValue(name, out account!);

    /// <summary>The account, or a <see cref="NotFoundException"/> naming the configured ones.</summary>
    public KubernetesAccount Get(string name) =>
        byName.TryGetValue(name, out var account)
            ? account
            : throw new NotFoundException(
                $"No kubernetes account '{name}' is configured; available: {(byName.Count == 0 ? "none (configure Mizzen:Kubernetes:Accounts)" : string.Join(", ", Names))}");

    /// <summary>The account's API client.</summary>
    public KubernetesResourceClient Client(string name) => Get(name).Client;

    public void Dispose()
    {
        foreach (var account in byName.Values)
        {
            account.Dispose();
        }
    }
}
