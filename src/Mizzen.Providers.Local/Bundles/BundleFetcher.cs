using Microsoft.Extensions.Options;

namespace Mizzen.Providers.Local.Bundles;

/// <summary>Makes a bundle reference local: a path is used as it is, an http(s) URL is downloaded with a size cap and a timeout.</summary>
internal sealed class BundleFetcher(IHttpClientFactory httpClients, IOptions<LocalProviderOptions> options)
{
    public const string HttpClientName = "Mizzen.Providers.Local.Bundles";

    /// <summary>The local path of the bundle; downloads go to <paramref name="downloadFolder"/> and the caller deletes them.</summary>
    public async Task<(string Path, bool Downloaded)> FetchAsync(LocalArtifact artifact, string downloadFolder, CancellationToken cancellationToken)
    {
        if (!string.Equals(artifact.Type, LocalArtifact.BundleType, StringComparison.Ordinal))
        {
            throw new Core.Errors.ValidationException("artifact.type", $"the local provider deploys artifacts of type '{LocalArtifact.BundleType}', not '{artifact.Type}'");
        }

        if (Uri.TryCreate(artifact.Reference, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return (await DownloadAsync(uri, downloadFolder, cancellationToken), true);
        }

        var path = uri is { IsFile: true } ? uri.LocalPath : artifact.Reference;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new BundleException($"Bundle '{artifact.Reference}' does not exist on this host");
        }

        return (Path.GetFullPath(path), false);
    }

    private async Task<string> DownloadAsync(Uri uri, string downloadFolder, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        Directory.CreateDirectory(downloadFolder);
        var extension = uri.AbsolutePath.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || uri.AbsolutePath.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
            ? ".tar.gz"
            : ".zip";
        var target = Path.Combine(downloadFolder, Guid.NewGuid().ToString("N") + extension);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.BundleDownloadTimeout);
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new BundleException($"Downloading bundle {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}", isTransient: (int)response.StatusCode >= 500);
            }

            if (response.Content.Headers.ContentLength > limits.MaxBundleBytes)
            {
                throw new BundleException($"Bundle {uri} is {response.Content.Headers.ContentLength} bytes, over the {limits.MaxBundleBytes}-byte limit");
            }

            await using var source = await response.Content.ReadAsStreamAsync(timeout.Token);
            await using var file = File.Create(target);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, timeout.Token)) > 0)
            {
                total += read;
                if (total > limits.MaxBundleBytes)
                {
                    throw new BundleException($"Bundle {uri} is over the {limits.MaxBundleBytes}-byte limit");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), timeout.Token);
            }

            return target;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            File.Delete(target);
            throw new BundleException($"Downloading bundle {uri} took longer than {limits.BundleDownloadTimeout}", isTransient: true);
        }
        catch (HttpRequestException e)
        {
            File.Delete(target);
            throw new BundleException($"Downloading bundle {uri} failed: {e.Message}", isTransient: true, e);
        }
        catch
        {
            File.Delete(target);
            throw;
        }
    }
}
