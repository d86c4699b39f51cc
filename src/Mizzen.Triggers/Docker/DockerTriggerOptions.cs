namespace Mizzen.Triggers.Docker;

/// <summary><c>Mizzen:Triggers:Docker</c>: the registries docker triggers watch (igor's docker registry accounts).</summary>
public sealed class DockerTriggerOptions
{
    public const string SectionName = "Mizzen:Triggers:Docker";

    public List<DockerRegistryAccount> Accounts { get; set; } = [];

    /// <summary>How often an account without its own <see cref="DockerRegistryAccount.PollInterval"/> is polled. Default 60 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    public DockerRegistryAccount? Account(string? name) =>
        Accounts.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One registry account: a docker trigger's <c>account</c> names it.</summary>
public sealed class DockerRegistryAccount
{
    public string Name { get; set; } = "";

    /// <summary>The registry's base URL (<c>https://registry.example.com</c>); the Registry HTTP API v2 is under <c>/v2/</c>.</summary>
    public string Address { get; set; } = "";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A file holding the password (read at each poll, so a rotated secret is picked up).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>When set, only these repositories are polled (a trigger on another one is a validation error).</summary>
    public List<string>? Repositories { get; set; }

    public TimeSpan? PollInterval { get; set; }

    /// <summary>
    /// Spinnaker's <c>trackDigests</c>: also re-read the digest of every known tag each poll, so a tag overwritten in place (pushed
    /// again without disappearing between two polls) fires. Costs one request per tag per poll; off by default.
    /// </summary>
    public bool TrackDigests { get; set; }

    /// <summary>The registry as artifacts name it (<c>host[:port]</c>) when a trigger does not say <c>registry</c>.</summary>
    public string RegistryHost => Uri.TryCreate(Address, UriKind.Absolute, out var uri) ? uri.Authority : Address;
}
