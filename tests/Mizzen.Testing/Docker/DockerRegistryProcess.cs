using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Mizzen.Testing.Docker;

/// <summary>
/// A real Docker registry (Debian's <c>docker-registry</c>, distribution 2.8) on a free 127.0.0.1 port, with filesystem storage in a
/// temp folder and deletes enabled; optionally behind htpasswd basic auth (the bcrypt line made by the C library's <c>crypt</c>
/// through perl). Images are pushed with the registry's own HTTP API: blobs by a monolithic upload, then a schema 2 manifest per tag.
/// <see cref="StopAsync"/> / <see cref="StartAsync"/> take it down and bring it back on the same port and storage.
/// </summary>
public sealed class DockerRegistryProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private const string ManifestType = "application/vnd.docker.distribution.manifest.v2+json";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "mizzen-registry-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false });
    private Process? process;

    private DockerRegistryProcess(int port, string? username, string? password)
    {
        Port = port;
        Username = username;
        Password = password;
        if (username is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }
    }

    public int Port { get; }

    public string? Username { get; }

    public string? Password { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>How the registry names itself in image references (<c>127.0.0.1:port</c>).</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static async Task<DockerRegistryProcess> StartNewAsync(string? username = null, string? password = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing; install it with `sudo apt-get install -y docker-registry` (eng/test.sh does)");
        }

        var registry = new DockerRegistryProcess(FreePort(), username, password);
        await registry.WriteConfigAsync();
        await registry.StartAsync();
        return registry;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(Path.Combine(folder, "config.yml"));
        process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with code {process.ExitCode} (config {folder}/config.yml)");
            }

            try
            {
                using var response = await http.GetAsync($"{Address}/v2/", timeout.Token);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, timeout.Token);
        }
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>Pushes an image whose one layer holds <paramref name="content"/> as <paramref name="tag"/>; returns its digest.</summary>
    public async Task<string> PushAsync(string repository, string tag, string content, CancellationToken cancellationToken = default)
    {
        var manifest = await UploadImageAsync(repository, content, cancellationToken);
        return await TagAsync(repository, tag, manifest, cancellationToken);
    }

    /// <summary>Uploads an image's config and layer blobs; returns the manifest to put under tags.</summary>
    public async Task<string> UploadImageAsync(string repository, string content, CancellationToken cancellationToken = default)
    {
        var layer = Encoding.UTF8.GetBytes(content);
        var layerDigest = await UploadBlobAsync(repository, layer, cancellationToken);
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["{{layerDigest}}"]} }""");
        var configDigest = await UploadBlobAsync(repository, config, cancellationToken);
        return $$"""
            {"schemaVersion":2,"mediaType":"{{ManifestType}}",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{config.Length}},"digest":"{{configDigest}}"},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{layer.Length}},"digest":"{{layerDigest}}"}]}
            """;
    }

    /// <summary>Puts <paramref name="manifest"/> under <paramref name="tag"/>; returns the manifest's digest.</summary>
    public async Task<string> TagAsync(string repository, string tag, string manifest, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(manifest, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        using var response = await http.PutAsync($"{Address}/v2/{repository}/manifests/{tag}", content, cancellationToken);
        await EnsureAsync(response, $"PUT manifest {repository}:{tag}");
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    /// <summary>Deletes a manifest (and with it every tag that points to it).</summary>
    public async Task DeleteAsync(string repository, string digest, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"{Address}/v2/{repository}/manifests/{digest}", cancellationToken);
        await EnsureAsync(response, $"DELETE manifest {repository}@{digest}");
    }

    private async Task<string> UploadBlobAsync(string repository, byte[] blob, CancellationToken cancellationToken)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using var started = await http.PostAsync($"{Address}/v2/{repository}/blobs/uploads/", null, cancellationToken);
        await EnsureAsync(started, $"POST blob upload to {repository}");
        var location = new Uri(new Uri(Address), started.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(blob);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await http.PutAsync($"{location}{separator}digest={Uri.EscapeDataString(digest)}", body, cancellationToken);
        await EnsureAsync(done, $"PUT blob {digest} to {repository}");
        return digest;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Restarts the registry on the same port and storage with another <c>auth:</c> section (YAML, e.g. <c>token:</c> with a realm and
    /// root certificate bundle), or none; its own pushes go through while it has none.
    /// </summary>
    public async Task RestartWithAuthAsync(string? authSection)
    {
        await StopAsync();
        await WriteConfigAsync(authSection);
        await StartAsync();
    }

    private async Task WriteConfigAsync()
    {
        Directory.CreateDirectory(folder);
        string? auth = null;
        if (Username is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "htpasswd"), $"{Username}:{await BcryptAsync(Password ?? "")}\n");
            auth = $"""
                htpasswd:
                  realm: mizzen-test
                  path: {folder}/htpasswd
                """;
        }

        await WriteConfigAsync(auth);
    }

    private Task WriteConfigAsync(string? authSection)
    {
        var auth = authSection is null ? "" : "auth:\n" + string.Join('\n', authSection.Split('\n').Select(l => "  " + l));
        return File.WriteAllTextAsync(Path.Combine(folder, "config.yml"), $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {folder}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}
            {auth}
            """);
    }

    /// <summary>A bcrypt hash (what the registry's htpasswd accepts), from the C library's crypt through perl.</summary>
    private static async Task<string> BcryptAsync(string password)
    {
        const string alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var salt = new string([.. RandomNumberGenerator.GetBytes(22).Select(b => alphabet[b % 64])]);
        var start = new ProcessStartInfo("perl") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add("print crypt($ARGV[0], $ARGV[1])");
        start.ArgumentList.Add(password);
        start.ArgumentList.Add("$2b$05$" + salt);
        using var perl = Process.Start(start) ?? throw new InvalidOperationException("perl did not start");
        var hash = await perl.StandardOutput.ReadToEndAsync();
        await perl.WaitForExitAsync();
        return hash.StartsWith("$2b$", StringComparison.Ordinal)
            ? hash
            : throw new InvalidOperationException($"this C library's crypt() made no bcrypt hash ('{hash}'); the registry's htpasswd needs one");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        http.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder is not worth failing a test over
        }
    }
}
