namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// Artifact accounts and fetch limits (clouddriver's artifact credentials), bound from <c>Mizzen:Artifacts</c>. Credentials live only
/// here (configuration, environment, files named here): they are never copied into a run, an API answer, a log line or an error.
/// </summary>
public sealed class ArtifactOptions
{
    public const string SectionName = "Mizzen:Artifacts";

    /// <summary>The configured accounts; each type with no account here gets Spinnaker's default account (see <see cref="ArtifactAccounts"/>).</summary>
    public IList<ArtifactAccountOptions> Accounts { get; } = [];

    /// <summary>Largest artifact content read, in bytes (default 64 MiB); a larger one fails naming the artifact.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Longest one HTTP fetch (http/file, github/file, gitlab/file) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a <c>git/repo</c> clone may take.</summary>
    public TimeSpan GitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The git executable (Debian's <c>git</c> by default, found on PATH).</summary>
    public string GitExecutable { get; set; } = "git";

    /// <summary>Most redirects followed; credentials are sent only to the origin of the first request.</summary>
    public int MaxRedirects { get; set; } = 3;
}

/// <summary>One artifact account: a name pipelines refer to in <c>artifactAccount</c>, the types it serves and its credentials.</summary>
public sealed class ArtifactAccountOptions
{
    public string? Name { get; set; }

    /// <summary>Artifact types served, e.g. <c>github/file</c>; at least one (an account without types is refused at startup, naming it).</summary>
    public IList<string> Types { get; } = [];

    /// <summary>Basic auth user (http/file, git/repo over https; with <see cref="Password"/> or <see cref="Token"/>).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A token: GitHub <c>Authorization: token</c>, GitLab <c>PRIVATE-TOKEN</c>, http/file bearer, git/repo https password.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the token (read at each fetch, so a rotated token is picked up); wins over <see cref="Token"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// Where the account's credentials may go: a URL (<c>https://api.github.com</c>, <c>https://git.example.com/team</c>). A reference
    /// outside it is refused for this account; one under it is trusted even on a restricted (local) address, as the operator chose it.
    /// github/file and gitlab/file default to the public services; for git/repo a <c>file://</c> folder allows local repositories.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>git/repo over ssh: the private key file (never copied; passed to ssh by path).</summary>
    public string? SshPrivateKeyFilePath { get; set; }

    /// <summary>git/repo over ssh: a known_hosts file; without it, <see cref="SshTrustUnknownHosts"/> decides.</summary>
    public string? SshKnownHostsFilePath { get; set; }

    /// <summary>git/repo over ssh: accept a host key never seen before (Spinnaker's <c>sshTrustUnknownHosts</c>, default false).</summary>
    public bool SshTrustUnknownHosts { get; set; }
}
