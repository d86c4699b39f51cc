using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// The default <see cref="IArtifactFetcher"/>: decodes <c>embedded/base64</c>, fetches the HTTP types through <see cref="ArtifactHttp"/>
/// (the expression helpers' URL restrictions, the account's credentials) and clones <c>git/repo</c> with <see cref="GitRepoCheckout"/>.
/// </summary>
public sealed class ArtifactFetcher(ArtifactAccounts accounts, ArtifactHttp http, GitRepoCheckout git, IOptions<ArtifactOptions> options) : IArtifactFetcher
{
    public async Task<FetchedArtifact> FetchAsync(JsonObject artifact, CancellationToken cancellationToken)
    {
        var (type, what) = Identify(artifact);
        switch (type)
        {
            case ArtifactTypes.EmbeddedBase64 or ArtifactTypes.RemoteBase64:
                accounts.For(ArtifactTypes.EmbeddedBase64, Account(artifact), what);
                return new FetchedArtifact(Decode(artifact, what), null);
            case ArtifactTypes.HttpFile or ArtifactTypes.GitHubFile or ArtifactTypes.GitLabFile:
                var account = accounts.For(type, Account(artifact), what);
                return await http.FetchAsync(type, Reference(artifact, what), artifact["version"].AsString(), account, what, cancellationToken);
            case ArtifactTypes.GitRepo or ArtifactTypes.LocalBundle:
                throw new ArtifactException($"{what}: a {type} artifact is a folder, not a file: read it with a checkout (a stage that takes a folder)");
            default:
                throw new ArtifactException($"{what}: Mizzen cannot fetch artifacts of type '{type}' (it fetches {string.Join(", ", Fetchable)})");
        }
    }

    public async Task<ArtifactFolder> CheckoutAsync(JsonObject artifact, CancellationToken cancellationToken)
    {
        var (type, what) = Identify(artifact);
        var account = accounts.For(type, Account(artifact), what);
        switch (type)
        {
            case ArtifactTypes.GitRepo:
                return await git.CheckoutAsync(Reference(artifact, what), artifact["version"].AsString(), artifact["location"].AsString(), account, what, cancellationToken);
            case ArtifactTypes.LocalBundle:
                var reference = Reference(artifact, what);
                var path = Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : reference;
                return Directory.Exists(path)
                    ? new ArtifactFolder(Path.GetFullPath(path), ownedRoot: null)
                    : throw new ArtifactException($"{what}: folder '{path}' does not exist on this host", ErrorKind.NotFound);
            default:
                throw new ArtifactException($"{what}: only git/repo and local/bundle artifacts are folders; fetch a {type} artifact's content instead");
        }
    }

    private static readonly string[] Fetchable =
        [ArtifactTypes.EmbeddedBase64, ArtifactTypes.HttpFile, ArtifactTypes.GitHubFile, ArtifactTypes.GitLabFile, ArtifactTypes.GitRepo, ArtifactTypes.LocalBundle];

    private byte[] Decode(JsonObject artifact, string what)
    {
        var reference = artifact["reference"].AsString() ?? "";
        if ((long)reference.Length * 3 / 4 > options.Value.MaxBytes)
        {
            throw new ArtifactException($"{what}: its content is larger than {options.Value.MaxBytes} bytes ({ArtifactOptions.SectionName}:MaxBytes)");
        }

        try
        {
            return Convert.FromBase64String(reference);
        }
        catch (FormatException)
        {
            throw new ArtifactException($"{what}: its reference is not base64");
        }
    }

    private static (string Type, string What) Identify(JsonObject artifact)
    {
        var type = artifact["type"].AsString();
        var what = Describe(artifact);
        return string.IsNullOrEmpty(type) ? throw new ArtifactException($"{what}: the artifact has no type") : (type, what);
    }

    private static string? Account(JsonObject artifact) => artifact["artifactAccount"].AsString();

    private static string Reference(JsonObject artifact, string what) =>
        artifact["reference"].AsString() is { Length: > 0 } reference ? reference : throw new ArtifactException($"{what}: the artifact has no reference");

    /// <summary>How errors name an artifact: type, name and reference, with a URL's user info and query (where tokens hide) left out.</summary>
    public static string Describe(JsonObject artifact)
    {
        var type = artifact["type"].AsString() ?? "(no type)";
        var parts = new List<string>();
        if (artifact["name"].AsString() is { Length: > 0 } name)
        {
            parts.Add($"'{name}'");
        }

        if (type is not (ArtifactTypes.EmbeddedBase64 or ArtifactTypes.RemoteBase64) && artifact["reference"].AsString() is { Length: > 0 } reference)
        {
            parts.Add(SafeReference(reference));
        }

        return $"artifact {type}" + (parts.Count == 0 ? "" : " " + string.Join(" ", parts));
    }

    internal static string SafeReference(string reference)
    {
        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" or "git")
        {
            var builder = new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" };
            return builder.Uri.AbsoluteUri;
        }

        return reference.Length > 200 ? reference[..200] + "…" : reference;
    }
}
