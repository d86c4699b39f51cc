using System.Globalization;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Accounts;

/// <summary>An inclusive port range such as <c>20000-20999</c>.</summary>
public readonly record struct PortRange(int First, int Last)
{
    public static PortRange Parse(string text, string location)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first is > 0 and <= 65535 && last is > 0 and <= 65535 && first <= last)
        {
            return new PortRange(first, last);
        }

        throw new ValidationException(location, $"'{text}' is not a port range; write it as 'first-last', e.g. 20000-20999");
    }

    public bool Contains(int port) => port >= First && port <= Last;

    public int Count => Last - First + 1;

    public override string ToString() => $"{First}-{Last}";
}
