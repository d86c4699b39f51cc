using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Triggers.Git;

/// <summary>
/// A push as GitHub, GitLab or Bitbucket (Cloud and Server, Spinnaker's <c>stash</c>) send it to <c>/webhooks/git/{source}</c>: the
/// repository's project (owner, group or project key) and slug, the branch and the commit it now points at, the delivery id, and
/// what the sender offers to prove who it is (GitHub's HMAC signature, GitLab's token).
/// </summary>
public sealed record GitPush(string Source, string Project, string Slug, string Branch, string Hash, string? RepositoryUrl)
{
    /// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the hex HMAC-SHA256 of the raw body with the shared secret.</summary>
    public string? Signature { get; init; }

    /// <summary>GitLab's <c>X-Gitlab-Token</c>: the secret itself.</summary>
    public string? Token { get; init; }

    public string Action { get; init; } = "push";

    /// <summary>
    /// The push in <paramref name="body"/>, or null when the event is not a push Mizzen acts on (GitHub's <c>ping</c>, a tag push
    /// whose ref is not a branch, a Bitbucket change without a new branch).
    /// </summary>
    public static GitPush? Parse(string source, JsonObject body, Func<string, string?> header)
    {
        switch (source.ToLowerInvariant())
        {
            case "github":
            {
                if (header("X-GitHub-Event") is { Length: > 0 } kind && kind != "push")
                {
                    return null;
                }

                var branch = BranchOf(body["ref"].AsString());
                var repository = body["repository"] as JsonObject;
                var owner = repository?["owner"]?["login"].AsString() ?? repository?["owner"]?["name"].AsString();
                return branch is null || owner is null || repository?["name"].AsString() is not { } name
                    ? null
                    : new GitPush("github", owner, name, branch, body["after"].AsString() ?? "", repository["clone_url"].AsString() ?? repository["html_url"].AsString())
                    {
                        Signature = header("X-Hub-Signature-256"),
                    };
            }

            case "gitlab":
            {
                if (body["object_kind"].AsString() is { } kind && kind != "push")
                {
                    return null;
                }

                var branch = BranchOf(body["ref"].AsString());
                var path = body["project"]?["path_with_namespace"].AsString();
                var slash = path?.LastIndexOf('/') ?? -1;
                return branch is null || path is null || slash <= 0
                    ? null
                    : new GitPush("gitlab", path[..slash], path[(slash + 1)..], branch, body["after"].AsString() ?? body["checkout_sha"].AsString() ?? "",
                        body["project"]?["git_http_url"].AsString())
                    {
                        Token = header("X-Gitlab-Token"),
                    };
            }

            case "bitbucket":
            {
                var full = body["repository"]?["full_name"].AsString();
                var change = (body["push"]?["changes"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["new"]?["type"].AsString() == "branch");
                var slash = full?.IndexOf('/') ?? -1;
                return change is null || full is null || slash <= 0
                    ? null
                    : new GitPush("bitbucket", full[..slash], full[(slash + 1)..], change["new"]!["name"].AsString() ?? "",
                        change["new"]?["target"]?["hash"].AsString() ?? "", body["repository"]?["links"]?["html"]?["href"].AsString());
            }

            case "stash":
            {
                var change = (body["changes"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
                var repository = body["repository"] as JsonObject;
                var branch = BranchOf(change?["refId"].AsString());
                return change is null || branch is null || repository?["project"]?["key"].AsString() is not { } key || repository["slug"].AsString() is not { } slug
                    ? null
                    : new GitPush("stash", key, slug, branch, change["toHash"].AsString() ?? "", null);
            }

            default:
                return null;
        }
    }

    /// <summary>Whether the sender proved it knows <paramref name="secret"/>: GitHub's HMAC of the raw body, or GitLab's token.</summary>
    public bool Proves(string secret, ReadOnlySpan<byte> rawBody)
    {
        if (Token is not null)
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Token), Encoding.UTF8.GetBytes(secret));
        }

        if (Signature is null)
        {
            return false;
        }

        if (!Signature.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody);
            return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(Signature["sha256=".Length..]));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? BranchOf(string? reference) =>
        reference?.StartsWith("refs/heads/", StringComparison.Ordinal) == true ? reference["refs/heads/".Length..] : null;
}
