using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>One artifact account as the fetcher uses it. <see cref="ToString"/> and the public properties never show a secret.</summary>
public sealed class ArtifactAccount
{
    internal ArtifactAccount(string name, IReadOnlyList<string> types, ArtifactAccountOptions options, Uri? baseUri, string? fileBase)
    {
        Name = name;
        Types = types;
        Options = options;
        BaseUri = baseUri;
        FileBase = fileBase;
    }

    public string Name { get; }

    public IReadOnlyList<string> Types { get; }

    internal ArtifactAccountOptions Options { get; }

    /// <summary>Where the account's requests may go (http(s)); null: anywhere the URL restrictions allow, credentials included.</summary>
    internal Uri? BaseUri { get; }

    /// <summary>For git/repo: a local folder under which <c>file://</c> repositories may be cloned.</summary>
    internal string? FileBase { get; }

    /// <summary>
    /// Whether <paramref name="url"/> is under <see cref="BaseUri"/>: same scheme, host and port, and the base path's segments as its
    /// first segments, compared as written (still percent-encoded: GitLab's file paths are <c>a%2Fb.yaml</c>, one segment).
    /// </summary>
    internal bool Covers(Uri url)
    {
        if (BaseUri is null || url.Scheme != BaseUri.Scheme || url.Port != BaseUri.Port
            || !string.Equals(url.IdnHost.TrimEnd('.'), BaseUri.IdnHost.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var prefix = BaseUri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return prefix.Length <= segments.Length && prefix.Select((p, i) => p == segments[i]).All(same => same);
    }

    public bool Serves(string type) => Types.Contains(type, StringComparer.Ordinal);

    /// <summary>The token, from <see cref="ArtifactAccountOptions.TokenFile"/> (read now, so rotation needs no restart) or the setting.</summary>
    internal string? Token()
    {
        if (Options.TokenFile is { Length: > 0 } file)
        {
            try
            {
                return File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArtifactException($"artifact account '{Name}': cannot read its tokenFile ({e.GetType().Name})", ErrorKind.Internal);
            }
        }

        return string.IsNullOrEmpty(Options.Token) ? null : Options.Token;
    }

    public override string ToString() => Name;
}

/// <summary>
/// The artifact accounts: those configured under <c>Mizzen:Artifacts:Accounts</c>, then, for each type no configured account serves,
/// its default account (<see cref="ArtifactTypes.DefaultAccounts"/>). A bad account (no name, no types, a bad baseUrl) is refused
/// when first used, naming the setting.
/// </summary>
public sealed class ArtifactAccounts(IOptions<ArtifactOptions> options)
{
    private readonly Lazy<IReadOnlyList<ArtifactAccount>> all = new(() => Build(options.Value));

    public IReadOnlyList<ArtifactAccount> All => all.Value;

    /// <summary>
    /// The account for an artifact: the one it names (which must serve its type), else the first that serves its type.
    /// <paramref name="what"/> describes the artifact for the message.
    /// </summary>
    public ArtifactAccount For(string type, string? accountName, string what)
    {
        if (!string.IsNullOrEmpty(accountName))
        {
            var named = All.FirstOrDefault(a => string.Equals(a.Name, accountName, StringComparison.Ordinal))
                        ?? throw new ArtifactException($"{what}: artifact account '{accountName}' does not exist (accounts: {string.Join(", ", All.Select(a => a.Name))})");
            return named.Serves(type)
                ? named
                : throw new ArtifactException($"{what}: artifact account '{accountName}' does not serve type '{type}' (it serves {string.Join(", ", named.Types)})");
        }

        return All.FirstOrDefault(a => a.Serves(type))
               ?? throw new ArtifactException($"{what}: no artifact account serves type '{type}'");
    }

    private static List<ArtifactAccount> Build(ArtifactOptions options)
    {
        var result = new List<ArtifactAccount>();
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            var account = options.Accounts[i];
            var setting = $"{ArtifactOptions.SectionName}:Accounts:{i}";
            if (string.IsNullOrWhiteSpace(account.Name))
            {
                throw new ValidationException($"{setting}:name", "every artifact account needs a name");
            }

            if (result.Any(a => a.Name == account.Name))
            {
                throw new ValidationException($"{setting}:name", $"artifact account '{account.Name}' is configured twice");
            }

            var types = account.Types.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
            if (types.Count == 0)
            {
                throw new ValidationException($"{setting}:types", $"artifact account '{account.Name}' serves no type: list e.g. github/file");
            }

            result.Add(Create(account.Name, types, account, types.Select(ArtifactTypes.DefaultBaseUrl).FirstOrDefault(u => u is not null), $"{setting}:baseUrl"));
        }

        foreach (var (type, name) in ArtifactTypes.DefaultAccounts)
        {
            if (!result.Any(a => a.Serves(type)) && !result.Any(a => a.Name == name))
            {
                result.Add(Create(name, [type], new ArtifactAccountOptions(), ArtifactTypes.DefaultBaseUrl(type), $"{ArtifactOptions.SectionName} default account {name}"));
            }
        }

        return result;
    }

    private static ArtifactAccount Create(string name, List<string> types, ArtifactAccountOptions options, string? defaultBaseUrl, string setting)
    {
        var baseUrl = string.IsNullOrWhiteSpace(options.BaseUrl) ? defaultBaseUrl : options.BaseUrl.Trim();
        if (baseUrl is null)
        {
            return new ArtifactAccount(name, types, options, null, null);
        }

        if (Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return new ArtifactAccount(name, types, options, null, Path.GetFullPath(uri.LocalPath));
        }

        return uri is { Scheme: "http" or "https", UserInfo.Length: 0, Query.Length: 0 }
            ? new ArtifactAccount(name, types, options, uri, null)
            : throw new ValidationException(setting, $"artifact account '{name}': baseUrl '{baseUrl}' must be an http(s) URL without user info or query, or a file:// folder");
    }
}
