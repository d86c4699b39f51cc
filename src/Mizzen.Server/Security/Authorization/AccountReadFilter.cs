namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Fiat's READ on accounts for what is deployed: a caller sees a server group, cluster, load balancer or instance only when it may READ
/// the application (the route checks that) and READ the account it runs in. The provider listings (<see cref="Clusters.ProviderReads"/>)
/// take one of these, so every provider (local, Kubernetes, any other) is filtered in the same place, for the REST routes and the UI alike.
/// An account that names no permissions is readable by every signed-in caller; with authentication off everything is readable.
/// </summary>
public sealed class AccountReadFilter
{
    /// <summary>No filter: for the engine's own reads (traffic guards, rollbacks), never for what a caller is shown.</summary>
    public static readonly AccountReadFilter Everything = new(null, Caller.Everyone);

    private readonly PermissionEvaluator? evaluator;

    public AccountReadFilter(PermissionEvaluator? evaluator, Caller caller)
    {
        this.evaluator = evaluator;
        Caller = caller;
    }

    public Caller Caller { get; }

    /// <summary>The filter for a request's caller (the one <see cref="PermissionGate"/> checked).</summary>
    public static AccountReadFilter For(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new(http.RequestServices.GetRequiredService<PermissionEvaluator>(), http.Caller());
    }

    /// <summary>Why the caller may not READ <paramref name="account"/> (<c>'bob' lacks READ on account 'prod'</c>); null when it may.</summary>
    public string? Denial(string account) => evaluator?.AccountDenial(Caller, account, Access.Read);

    public bool CanRead(string account) => Denial(account) is null;

    /// <summary>The items on accounts the caller may READ, in their order.</summary>
    public IReadOnlyList<T> Readable<T>(IReadOnlyList<T> items, Func<T, string> account)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(account);
        if (evaluator is null || !evaluator.Enabled || ReferenceEquals(Caller, Caller.Everyone) || Caller.IsAdmin)
        {
            return items;
        }

        var decided = new Dictionary<string, bool>(StringComparer.Ordinal);
        return [.. items.Where(item =>
        {
            var name = account(item);
            if (!decided.TryGetValue(name, out var readable))
            {
                decided[name] = readable = CanRead(name);
            }

            return readable;
        })];
    }
}
