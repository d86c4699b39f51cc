namespace Mizzen.Core.Secrets;

/// <summary>
/// Named secrets (tokens, passwords) that Mizzen hands to the systems it calls without ever writing them down: pipelines,
/// operator configuration and notification channels hold a reference (<c>${secret:name}</c>), and only the code that makes the
/// call asks the store for the value, at call time. A seam so a vault can replace the configuration/environment/file store.
/// </summary>
public interface ISecretStore
{
    /// <summary>The value of <paramref name="name"/>, read now (a rotated file or variable is picked up on the next call).</summary>
    bool TryGet(string name, out string value);

    /// <summary>
    /// Whether pipeline authors may reference <paramref name="name"/> from a stage's own fields. Secrets are for operator
    /// configuration (preconfigured webhooks, notification channels) unless the operator lists them: anyone who can edit a
    /// pipeline could otherwise send the secret to a server of their choosing.
    /// </summary>
    bool IsAllowedInPipelines(string name);

    /// <summary>Where a secret of that name would be looked for, for the error that says it is missing.</summary>
    string DescribeSources(string name);
}
