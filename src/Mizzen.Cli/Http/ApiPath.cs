using System.Text;

namespace Mizzen.Cli.Http;

/// <summary>Builds API paths from unescaped segments (<c>ApiPath.Of("applications", app)</c>) and optional query values.</summary>
internal static class ApiPath
{
    public static string Of(params string[] segments) => string.Join('/', segments.Select(Uri.EscapeDataString));

    /// <summary>Appends <c>?k=v&amp;...</c>, leaving out pairs whose value is null or empty.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }
}
