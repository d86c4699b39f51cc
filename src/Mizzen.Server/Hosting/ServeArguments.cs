using System.Globalization;

namespace Mizzen.Server.Hosting;

/// <summary><c>serve [--port 8084] [--data DIR] [--bind 127.0.0.1] [--demo]</c>.</summary>
public sealed record ServeArguments(int Port, string DataFolder, string Bind, bool Demo)
{
    public const int DefaultPort = 8084;

    public string Url => $"http://{(Bind.Contains(':', StringComparison.Ordinal) ? $"[{Bind}]" : Bind)}:{Port}";

    public static ServeArguments Parse(string[] args)
    {
        var port = DefaultPort;
        var data = ".mizzen";
        var bind = "127.0.0.1";
        var demo = false;
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
                case "-h" or "--help":
                    throw new ArgumentException(Usage);
                default:
                    throw new ArgumentException($"unknown option '{rest[i]}'\n{Usage}");
            }
        }

        return new ServeArguments(port, Path.GetFullPath(data), bind, demo);
    }

    public const string Usage = "usage: mizzen serve [--port 8084] [--data DIR] [--bind 127.0.0.1] [--demo]";
}
