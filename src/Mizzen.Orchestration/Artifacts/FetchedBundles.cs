using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Mizzen.Orchestration.Clouds;
using Mizzen.Persistence;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// Lets a deploy take its bundle from a file artifact (<c>http/file</c>, <c>github/file</c>, <c>gitlab/file</c>, <c>embedded/base64</c>):
/// the content is fetched with <see cref="IArtifactFetcher"/> (URL restrictions, the account's credentials, the size cap) and kept in
/// the data folder under its SHA-256 (<c>artifacts/bundles/&lt;sha256&gt;.zip|.tar.gz</c>), which the deploy then uses as a
/// <c>local/bundle</c>. Content-addressed, so a retried deploy (after a crash) or a later promotion of the same artifact finds the same
/// file; written to a temporary name and moved, so a half-written bundle is never used. Other types pass through unchanged.
/// </summary>
public sealed class FetchedBundles(IArtifactFetcher fetcher, IOptions<StorageOptions> storage)
{
    public static bool IsFileArtifact(string type) =>
        type is ArtifactTypes.HttpFile or ArtifactTypes.GitHubFile or ArtifactTypes.GitLabFile or ArtifactTypes.EmbeddedBase64 or ArtifactTypes.RemoteBase64;

    /// <summary>The artifact to deploy: a file artifact as a <c>local/bundle</c> file in the data folder; anything else as it is.</summary>
    public async Task<CloudArtifact> DeployableAsync(CloudArtifact artifact, CancellationToken cancellationToken)
    {
        if (!IsFileArtifact(artifact.Type))
        {
            return artifact;
        }

        var json = artifact.ToJson();
        var content = (await fetcher.FetchAsync(json, cancellationToken)).Content;
        var extension = content is [0x1f, 0x8b, ..] ? ".tar.gz"
            : content is [0x50, 0x4b, ..] ? ".zip"
            : throw new ArtifactException($"{ArtifactFetcher.Describe(json)}: its content is neither a .zip nor a .tar.gz bundle, so it cannot be deployed");
        var folder = Path.Combine(Path.GetFullPath(storage.Value.DataFolder), "artifacts", "bundles");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(content)) + extension);
        if (!File.Exists(path))
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temporary, content, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return new CloudArtifact(CloudArtifact.LocalBundleType, artifact.Name, artifact.Version, path);
    }
}
