using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Hosting;

/// <summary>
/// <c>Mizzen:Proxy</c>: the TLS-terminating proxies (a load balancer, an ingress) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// Mizzen believes. Behind such a proxy every request seems to come from the proxy over plain HTTP: the session cookie would not be
/// <c>Secure</c>, an OIDC provider would be sent an <c>http://</c> callback, the audit log would name the proxy's address for everyone, and
/// the login throttle would slow everybody down for one guesser's failures. Only the proxies named here are believed (anyone else could
/// send the headers); with none named the headers are ignored, as before.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Mizzen:Proxy";

    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks the proxies are in, in CIDR form, e.g. <c>10.0.0.0/8</c> (a Kubernetes ingress whose pods come and go).</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a row to unwrap (the entries of <c>X-Forwarded-For</c> read from the right).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool IsConfigured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>Reads <see cref="ProxyOptions"/> into ASP.NET Core's forwarded-headers middleware; a malformed entry stops the start, naming it.</summary>
public static class TrustedProxies
{
    public static bool Configure(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ProxyOptions.SectionName).Get<ProxyOptions>() ?? new ProxyOptions();
        if (!options.IsConfigured)
        {
            return false;
        }

        var proxies = options.KnownProxies.Select((text, i) => IPAddress.TryParse(text, out var address)
            ? address
            : throw new ProxySettingException($"Mizzen:Proxy:KnownProxies:{i}: '{text}' is not an IP address")).ToList();
        var networks = options.KnownNetworks.Select((text, i) => System.Net.IPNetwork.TryParse(text, out var network)
            ? network
            : throw new ProxySettingException($"Mizzen:Proxy:KnownNetworks:{i}: '{text}' is not a network in CIDR form (10.0.0.0/8)")).ToList();
        if (options.ForwardLimit < 1)
        {
            throw new ProxySettingException($"Mizzen:Proxy:ForwardLimit: {options.ForwardLimit} must be at least 1");
        }

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Host is left alone: a proxy that rewrites it would also defeat the allowed-hosts check; For and Proto are what is lost.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = options.ForwardLimit;
            o.KnownProxies.Clear(); // the default trusts loopback: on a laptop any local process could then claim any address
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
        return true;
    }
}

/// <summary>A <c>Mizzen:Proxy</c> entry that cannot be read.</summary>
public sealed class ProxySettingException(string message) : MizzenException(message)
{
    public override ErrorKind Kind => ErrorKind.Invalid;
}
