using System.Text;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Errors;

/// <summary>
/// Warnings about a body that was accepted (a repeated key whose last value was used): one HTTP <c>Warning</c> response
/// header each, <c>199 mizzen "LOCATION: MESSAGE"</c> (the CLI prints them), for answers whose body is the saved document itself.
/// </summary>
public static class InputWarnings
{
    public const string Header = "Warning";

    public static void AddTo(HttpResponse response, IReadOnlyList<ValidationProblem> warnings)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var warning in warnings.Take(20))
        {
            response.Headers.Append(Header, $"199 mizzen \"{Printable(warning.ToString()).Replace('"', '\'')}\"");
        }
    }

    /// <summary>A header value holds printable ASCII only: line breaks as spaces, anything else as <c>?</c>.</summary>
    private static string Printable(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text.Length > 1000 ? text[..1000] : text)
        {
            if (c is '\n' or '\r')
            {
                result.Append(' ');
            }
            else if (c is >= ' ' and <= '~')
            {
                result.Append(c);
            }
            else
            {
                result.Append('?');
            }
        }

        return result.ToString();
    }
}
