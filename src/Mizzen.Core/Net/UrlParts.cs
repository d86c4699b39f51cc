using System.Net;

namespace Mizzen.Core.Net;

/// <summary>
/// A URL reduced to what decides where a request goes, parsed the way <see cref="HttpClient"/> will send it: scheme,
/// real host (user info dropped; lower case; IDN as punycode; trailing dot dropped; IP literals in canonical form, an
/// IPv4-mapped IPv6 address as its IPv4 address), port (the scheme's default when none is written) and path segments
/// (percent-decoded; <c>.</c>/<c>..</c> already resolved).
/// </summary>
public sealed record UrlParts(string Scheme, string Host, int Port, IReadOnlyList<string> Segments, bool HasUserInfo)
{
    /// <summary>Parses an absolute http(s) URL; <paramref name="error"/> says why when it cannot be judged.</summary>
    public static bool TryParse(Uri url, out UrlParts? parts, out string? error)
    {
        parts = null;
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            error = "only absolute http and https URLs can be judged";
            return false;
        }

        if (!TrySegments(url.AbsolutePath, out var segments))
        {
            error = "its path has an encoded '/', '\\', '.' or '..' segment, which servers read differently";
            return false;
        }

        parts = new UrlParts(url.Scheme, NormalizeHost(url), url.Port, segments, url.UserInfo.Length > 0);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="prefix"/>'s segments are the first segments of this path (whole segments only).</summary>
    public bool PathStartsWith(IReadOnlyList<string> prefix)
    {
        if (prefix.Count > Segments.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(prefix[i], Segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string NormalizeHost(Uri url)
    {
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.DnsSafeHost, out var address))
        {
            if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                address.ScopeId = 0;
            }

            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return address.ToString();
        }

        return url.IdnHost.TrimEnd('.').ToLowerInvariant();
    }

    private static bool TrySegments(string absolutePath, out IReadOnlyList<string> segments)
    {
        var raw = absolutePath.Split('/');
        var list = new List<string>(raw.Length);
        foreach (var part in raw.Skip(1))
        {
            var decoded = Uri.UnescapeDataString(part);
            if (decoded.Contains('/', StringComparison.Ordinal) || decoded.Contains('\\', StringComparison.Ordinal) || decoded is "." or "..")
            {
                segments = [];
                return false;
            }

            list.Add(decoded);
        }

        // "/api/" and "/api" name the same prefix; a trailing empty segment says nothing.
        if (list.Count > 0 && list[^1].Length == 0)
        {
            list.RemoveAt(list.Count - 1);
        }

        segments = list;
        return true;
    }
}
