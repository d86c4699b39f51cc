using System.Globalization;

namespace Mizzen.Server.Hosting;

/// <summary><c>serve [--port 8084] [--data DIR] [--bind 127.0.0.1] [--demo] [--insecure-no-auth]</c>.</summary>
public sealed record ServeArguments(int Port, string DataFolder, string Bind, bool Demo)
{
    public const int DefaultPort = 8084;

    /// <summary>
    /// <c>--insecure-no-auth</c>: listen on a non-loopback address without authentication, on purpose (a network that is trusted as a
    /// whole, or a proxy in front that signs users in). The server warns about it on every start.
    /// </summary>
    public bool InsecureNoAuth { get; init; }

    /// <summary>Whether <see cref="Bind"/> is reachable from this machine only (<c>localhost</c>, 127.0.0.0/8, <c>::1</c>).</summary>
    public bool IsLoopback =>
        Bind.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(Bind.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    public string Url => $"http://{(Bind.Contains(':', StringComparison.Ordinal) ? $"[{Bind}]" : Bind)}:{Port}";

    public static ServeArguments Parse(string[] args)
    {
        var port = DefaultPort;
        var data = ".mizzen";
        var bind = "127.0.0.1";
        var demo = false;
        var insecure = false;
        var rest = args.SkipWhile(a => a == "serve").ToList();
        for (var i = 0; i < rest.Count; i++)
        {
            switch (rest[i])
            {
                case "--port" when i + 1 < rest.Count:
                    port = int.TryParse(rest[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
                        ? p
                        : throw new ArgumentException($"--port needs a number from 0 to 65535, got '{rest[i]}'");
                    break;
                case "--data" when i + 1 < rest.Count:
                    data = rest[++i];
                    break;
                case "--bind" when i + 1 < rest.Count:
                    bind = rest[++i];
                    break;
                case "--demo":
                    demo = true;
                    break;
                case "--insecure-no-auth":
                    insecure = true;
                    break;
                case "-h" or "--help":
                    throw new ArgumentException(Usage);
                default:
                    throw new ArgumentException($"unknown option '{rest[i]}'\n{Usage}");
            }
        }

        return new ServeArguments(port, Path.GetFullPath(data), bind, demo) { InsecureNoAuth = insecure };
    }

    public const string Usage = "usage: mizzen serve [--port 8084] [--data DIR] [--bind 127.0.0.1] [--demo] [--insecure-no-auth]";
}
