using System.Net;
using Microsoft.Extensions.Options;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Security;

/// <summary>
/// The host names the API answers to: loopback (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>), the address it is bound to (and the
/// machine's name when bound to every interface), and <c>Mizzen:AllowedHosts</c>. A page on another name that resolves to this
/// machine (DNS rebinding) is refused.
/// </summary>
public sealed class AllowedHosts
{
    private readonly HashSet<string> names = new(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]", "::1" };
    private readonly bool any;

    public AllowedHosts(ServeArguments arguments, IOptions<RequestOriginOptions> options)
    {
        var bind = arguments.Bind.Trim('[', ']');
        if (IPAddress.TryParse(bind, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            names.Add(Environment.MachineName);
            names.Add(Dns.GetHostName());
        }
        else
        {
            names.Add(bind);
            names.Add($"[{bind}]");
        }

        foreach (var name in options.Value.AllowedHosts.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            any |= name == "*";
            names.Add(name);
        }
    }

    /// <summary>Every name, for messages.</summary>
    public IEnumerable<string> Names => names.Where(n => n != "::1").Order(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="host"/> (a name or address, without port; IPv6 with or without brackets) is allowed.</summary>
    public bool Allows(string host) => any || names.Contains(host);
}
