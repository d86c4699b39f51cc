namespace Mizzen.Orchestration.Secrets;

/// <summary>
/// Where named secrets come from, besides <c>Mizzen:Secrets:{name}</c> in configuration. Bound from <c>Mizzen:SecretStore</c>.
/// Lookup order: configuration, then the environment variable, then the file.
/// </summary>
public sealed class SecretStoreOptions
{
    public const string SectionName = "Mizzen:SecretStore";

    /// <summary>The configuration section whose keys are secret names and whose values are the secrets.</summary>
    public const string ValuesSection = "Mizzen:Secrets";

    /// <summary>
    /// A folder with one file per secret, named as the secret (a Kubernetes secret mounted as a volume looks like this); the
    /// file's content, without a trailing line break, is the value. Read on each use, so a rotated file takes effect at once.
    /// Default: none.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Environment variables named this prefix plus the secret's name in upper case with every other character than a letter or
    /// digit as <c>_</c>: <c>teletraan-token</c> is <c>MIZZEN_SECRET_TELETRAAN_TOKEN</c>. Empty turns the environment off.
    /// </summary>
    public string EnvironmentPrefix { get; set; } = "MIZZEN_SECRET_";

    /// <summary>
    /// Secrets that pipeline authors may reference from a stage's own fields (a webhook stage's headers and payload). Default
    /// none: a secret serves operator configuration (preconfigured webhook stages, notification channels) only, since whoever
    /// edits a pipeline could otherwise send it to any server.
    /// </summary>
    public List<string> AllowedInPipelines { get; set; } = [];
}
