using System.Text.Json.Nodes;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// Fetches what an artifact refers to (clouddriver's <c>ArtifactCredentials.download</c>), with the account the artifact names in
/// <c>artifactAccount</c> (or the type's account). Stages and providers call it; it is the only place artifact credentials are used.
/// </summary>
public interface IArtifactFetcher
{
    /// <summary>
    /// The content of a file artifact (<c>embedded/base64</c>, <c>http/file</c>, <c>github/file</c>, <c>gitlab/file</c>), at most
    /// <see cref="ArtifactOptions.MaxBytes"/>. Fails with an <see cref="ArtifactException"/> naming the artifact.
    /// </summary>
    Task<FetchedArtifact> FetchAsync(JsonObject artifact, CancellationToken cancellationToken);

    /// <summary>
    /// A folder holding a <c>git/repo</c> artifact checked out at its <c>version</c> (branch, tag or commit; default the remote's HEAD),
    /// narrowed to its <c>location</c> sub-folder; or a <c>local/bundle</c> folder as it is. Dispose the result to delete the checkout.
    /// </summary>
    Task<ArtifactFolder> CheckoutAsync(JsonObject artifact, CancellationToken cancellationToken);
}

/// <summary>An artifact's content: its bytes and, for HTTP types, the server's content type.</summary>
public sealed record FetchedArtifact(byte[] Content, string? ContentType)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Content);
}

/// <summary>A fetched folder; disposing deletes what the fetch created (never a <c>local/bundle</c> folder it only pointed to).</summary>
public sealed class ArtifactFolder(string path, string? ownedRoot) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (ownedRoot is null || !Directory.Exists(ownedRoot))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(ownedRoot, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal); // git's pack files are read-only
        }

        Directory.Delete(ownedRoot, recursive: true);
    }
}
