namespace Mizzen.Providers.Local.Bundles;

/// <summary>
/// Decides what an instance runs: an explicit command with args, or the bundle's <c>Procfile</c> <c>web:</c> line run by
/// <c>/bin/sh -c "exec ..."</c> (so <c>$PORT</c> expands and the shell is replaced by the program: the pid is the program's).
/// </summary>
internal static class StartCommand
{
    public static List<string> Resolve(string appFolder, string? command, IReadOnlyList<string> args, string processType = "web")
    {
        if (!string.IsNullOrWhiteSpace(command))
        {
            return [command, .. args];
        }

        var procfile = Path.Combine(appFolder, "Procfile");
        if (!File.Exists(procfile))
        {
            throw new BundleException("The bundle has no Procfile and the request gives no command; add a Procfile with a 'web:' line or pass command/args");
        }

        var line = File.ReadLines(procfile)
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith(processType + ":", StringComparison.Ordinal));
        if (line is null || line.Length <= processType.Length + 1 || string.IsNullOrWhiteSpace(line[(processType.Length + 1)..]))
        {
            throw new BundleException($"The bundle's Procfile has no '{processType}:' line with a command");
        }

        var commandLine = line[(processType.Length + 1)..].Trim();
        var withArgs = args.Count == 0 ? commandLine : commandLine + " " + string.Join(' ', args.Select(Quote));
        // A single command is exec'ed so the recorded pid is the program's; a compound line (;, &&, |) runs under the shell.
        return ["/bin/sh", "-c", IsSimple(commandLine) ? "exec " + withArgs : withArgs];
    }

    private static bool IsSimple(string commandLine) => commandLine.IndexOfAny([';', '&', '|', '\n', '(', '`']) < 0;

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
