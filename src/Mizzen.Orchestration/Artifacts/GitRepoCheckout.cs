using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Expressions;
using Mizzen.Expressions.Safety;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// Checks out a <c>git/repo</c> artifact with the git command-line client (Debian's <c>git</c>): <c>git init</c>, then
/// <c>git fetch --depth 1 URL VERSION</c> and a detached checkout of what was fetched, so a branch, a tag and a commit id are one
/// code path and only one commit's objects are transferred. The git CLI rather than LibGit2Sharp: libgit2 has no dependable shallow
/// fetch, and the CLI speaks every transport (https, ssh with the system's ssh, file) with the host's own configuration.
/// Credentials never appear in the process arguments (visible in <c>ps</c>) or in the URL: an https token goes in an
/// <c>http.extraHeader</c> passed through git's <c>GIT_CONFIG_*</c> environment variables, an ssh key by its file path in
/// <c>GIT_SSH_COMMAND</c>. A URL with user info is refused. http(s) URLs not under the account's <c>baseUrl</c> pass the URL
/// restrictions by name (git resolves and connects itself, so unlike the HTTP types the check cannot follow DNS); <c>file://</c>
/// repositories are allowed only under an account's <c>file://</c> <c>baseUrl</c>.
/// </summary>
public sealed class GitRepoCheckout(IOptions<ArtifactOptions> options, IOptions<ExpressionOptions> expressionOptions, TimeProvider clock)
{
    private readonly UrlRestrictions restrictions = new(expressionOptions.Value.Url);

    public async Task<ArtifactFolder> CheckoutAsync(string url, string? version, string? location, ArtifactAccount account, string what, CancellationToken cancellationToken)
    {
        CheckUrl(url, account, what);
        var revision = string.IsNullOrWhiteSpace(version) ? "HEAD" : version.Trim();
        if (revision.StartsWith('-') || revision.Any(char.IsWhiteSpace))
        {
            throw new ArtifactException($"{what}: version '{revision}' is not a branch, tag or commit");
        }

        var root = Path.Combine(Path.GetTempPath(), "mizzen-git-" + Guid.NewGuid().ToString("N"));
        var folder = new ArtifactFolder(root, root);
        try
        {
            var repo = Path.Combine(root, "repo");
            Directory.CreateDirectory(repo);
            var environment = GitEnvironment(account, what);
            using var timeout = new CancellationTokenSource(options.Value.GitTimeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await RunAsync(repo, ["init", "--quiet"], environment, what, linked.Token);
                await RunAsync(repo, ["fetch", "--quiet", "--depth", "1", "--no-tags", "--end-of-options", url, revision], environment, what, linked.Token);
                await RunAsync(repo, ["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", "FETCH_HEAD"], environment, what, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ArtifactException($"{what}: the clone took longer than {options.Value.GitTimeout} ({ArtifactOptions.SectionName}:GitTimeout)", ErrorKind.Upstream, transient: true);
            }

            var path = Path.GetFullPath(Path.Combine(repo, location?.Trim('/') ?? ""));
            if (path != repo && !path.StartsWith(repo + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArtifactException($"{what}: location '{location}' is outside the repository");
            }

            if (!Directory.Exists(path) && !File.Exists(path))
            {
                throw new ArtifactException($"{what}: location '{location}' does not exist in the repository at {revision}", ErrorKind.NotFound);
            }

            return new ArtifactFolder(path, root);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private void CheckUrl(string url, ArtifactAccount account, string what)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal) || (uri.Scheme is "http" or "https" && uri.UserInfo.Length > 0))
            {
                throw new ArtifactException($"{what}: URLs with credentials are not allowed: put them in an artifact account");
            }

            switch (uri.Scheme)
            {
                case "file":
                    var path = Path.GetFullPath(uri.LocalPath);
                    if (account.FileBase is not { } root || !(path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)))
                    {
                        throw new ArtifactException($"{what}: file:// repositories are allowed only under an artifact account's file:// baseUrl (account '{account.Name}' has none that covers it)");
                    }

                    return;
                case "http" or "https":
                    if (account.BaseUri is { } baseUri)
                    {
                        if (!account.Covers(uri))
                        {
                            throw new ArtifactException($"{what}: its reference is not under the baseUrl of artifact account '{account.Name}' ({baseUri})");
                        }

                        return;
                    }

                    if (!restrictions.IsTrusted(uri))
                    {
                        try
                        {
                            restrictions.CheckUrl(url);
                        }
                        catch (ExpressionFunctionException refused)
                        {
                            throw new ArtifactException($"{what}: refused: {refused.Message}");
                        }
                    }

                    return;
                case "ssh" or "git":
                    return;
            }

            throw new ArtifactException($"{what}: git/repo references are https, http, ssh, git or file URLs (or user@host:path), not '{uri.Scheme}'");
        }

        // scp-like ssh: git@github.com:org/repo.git
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || url.StartsWith('-') || url.Contains("::", StringComparison.Ordinal))
        {
            throw new ArtifactException($"{what}: '{ArtifactFetcher.SafeReference(url)}' is not a git repository URL");
        }
    }

    private Dictionary<string, string> GitEnvironment(ArtifactAccount account, string what)
    {
        var settings = account.Options;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_ASKPASS"] = "",
            ["SSH_ASKPASS"] = "",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["LC_ALL"] = "C",
        };
        var token = account.Token();
        var secret = settings.Password ?? token;
        if (secret is not null)
        {
            var user = string.IsNullOrEmpty(settings.Username) ? "token" : settings.Username;
            environment["GIT_CONFIG_COUNT"] = "1";
            environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            environment["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}"));
        }

        var ssh = new StringBuilder("ssh -o BatchMode=yes");
        if (settings.SshPrivateKeyFilePath is { Length: > 0 } key)
        {
            if (!File.Exists(key))
            {
                throw new ArtifactException($"{what}: artifact account '{account.Name}': its sshPrivateKeyFilePath does not exist", ErrorKind.Internal);
            }

            ssh.Append(" -o IdentitiesOnly=yes -i ").Append(Quote(key));
        }

        if (settings.SshKnownHostsFilePath is { Length: > 0 } knownHosts)
        {
            ssh.Append(" -o UserKnownHostsFile=").Append(Quote(knownHosts));
        }

        ssh.Append(" -o StrictHostKeyChecking=").Append(settings.SshTrustUnknownHosts ? "accept-new" : "yes");
        environment["GIT_SSH_COMMAND"] = ssh.ToString();
        return environment;
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private async Task RunAsync(string workingDirectory, IReadOnlyList<string> arguments, Dictionary<string, string> environment, string what, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.GitExecutable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ArtifactException($"{what}: git did not start", ErrorKind.Internal);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ArtifactException($"{what}: cannot run '{options.Value.GitExecutable}' ({e.Message}): install git (apt-get install git) or set {ArtifactOptions.SectionName}:GitExecutable", ErrorKind.Internal);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            await output;
            var message = (await error).Trim();
            if (process.ExitCode != 0)
            {
                var last = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {process.ExitCode}";
                throw new ArtifactException($"{what}: git {arguments[0]} failed: {last}", ErrorKind.Upstream);
            }
        }
    }
}
