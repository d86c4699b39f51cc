namespace Mizzen.Orchestration.Artifacts;

/// <summary>The artifact types Mizzen can fetch, with Spinnaker's names, and the account each uses when none is configured.</summary>
public static class ArtifactTypes
{
    public const string EmbeddedBase64 = "embedded/base64";
    public const string RemoteBase64 = "remote/base64";
    public const string HttpFile = "http/file";
    public const string GitHubFile = "github/file";
    public const string GitLabFile = "gitlab/file";
    public const string GitRepo = "git/repo";
    public const string LocalBundle = "local/bundle";

    /// <summary>
    /// The account of each type when the configuration names none. <c>embedded-artifact</c> and <c>no-auth-http-account</c> are
    /// clouddriver's own defaults (pipelines exported from Spinnaker name them); the others have no Spinnaker default and get a
    /// credential-less account under a plain name, so public GitHub/GitLab files and public repositories work out of the box.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultAccounts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [EmbeddedBase64] = "embedded-artifact",
        [HttpFile] = "no-auth-http-account",
        [GitHubFile] = "github-artifact-account",
        [GitLabFile] = "gitlab-artifact-account",
        [GitRepo] = "git-repo-artifact-account",
        [LocalBundle] = "local-bundle-account",
    };

    /// <summary>Where a default GitHub/GitLab account may send requests.</summary>
    public static string? DefaultBaseUrl(string type) => type switch
    {
        GitHubFile => "https://api.github.com",
        GitLabFile => "https://gitlab.com",
        _ => null,
    };
}
