namespace Mizzen.Core.Net;

/// <summary>
/// An operator's list of allowed URLs (<see cref="AllowedUrl"/> entries), shared by every component that checks where a
/// request may go: webhook stages (<c>Mizzen:Webhook:AllowedUrlPrefixes</c>) and the expression URL helpers
/// (<c>Mizzen:Expressions:Url:AllowedHosts</c>). Entries are parsed once; a bad entry is refused when the list is built.
/// </summary>
public sealed class UrlAllowList
{
    private readonly IReadOnlyList<AllowedUrl> entries;

    /// <param name="entries">The configured entries.</param>
    /// <param name="setting">The setting they come from, named in the error for a bad entry.</param>
    public UrlAllowList(IEnumerable<string> entries, string setting)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var parsed = new List<AllowedUrl>();
        foreach (var entry in entries)
        {
            try
            {
                parsed.Add(AllowedUrl.Parse(entry));
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"{setting}: {e.Message}", nameof(entries), e);
            }
        }

        this.entries = parsed;
    }

    public bool IsEmpty => entries.Count == 0;

    public IEnumerable<string> Entries => entries.Select(e => e.Text);

    /// <summary>Whether some entry allows <paramref name="url"/>; a URL that cannot be judged (not http(s), an encoded <c>/</c> or <c>..</c> in its path) is not allowed.</summary>
    public bool Allows(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return UrlParts.TryParse(url, out var parts, out _) && entries.Any(e => e.Allows(parts!));
    }
}
