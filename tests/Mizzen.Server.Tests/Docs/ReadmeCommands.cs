using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mizzen.Server.Tests.Docs;

/// <summary>
/// The shell commands of the repository's README, read from the file itself (so the docs and this test cannot drift apart), and a way
/// to run them as written: with bash, one after the other in one shell (so <c>id=$(…)</c> carries over), in a folder where
/// <c>./mizzen</c> is the CLI built next to the tests and <c>samples/</c> is the repository's.
/// </summary>
public static class ReadmeCommands
{
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "README.md")) && File.Exists(Path.Combine(folder.FullName, "Mizzen.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root (with README.md and Mizzen.slnx) above {AppContext.BaseDirectory}");
    }

    /// <summary>The lines of the first <c>```sh</c> block after the line that starts with <paramref name="intro"/>.</summary>
    public static IReadOnlyList<string> BlockAfter(string intro)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith(intro, StringComparison.Ordinal));
        start.ShouldBeGreaterThanOrEqualTo(0, $"README.md has no line starting with '{intro}'");
        var open = Array.FindIndex(lines, start, l => l.Trim() == "```sh");
        open.ShouldBeGreaterThan(start, $"README.md has no ```sh block after '{intro}'");
        var close = Array.FindIndex(lines, open + 1, l => l.Trim() == "```");
        return [.. lines[(open + 1)..close].Where(l => l.Trim().Length > 0)];
    }

    /// <summary>Runs <paramref name="commands"/> in one bash, each line's output (stdout and stderr) and exit code apart.</summary>
    public static async Task<IReadOnlyList<CommandResult>> RunAsync(IReadOnlyList<string> commands, Uri server, TimeSpan within)
    {
        var folder = Directory.CreateTempSubdirectory("mizzen-readme-").FullName;
        try
        {
            var cli = Path.Combine(AppContext.BaseDirectory, "Mizzen.Cli.dll");
            await File.WriteAllTextAsync(Path.Combine(folder, "mizzen"), $"#!/usr/bin/env bash\nexec dotnet '{cli}' \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(folder, "mizzen"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.CreateSymbolicLink(Path.Combine(folder, "samples"), Path.Combine(RepositoryRoot(), "samples"));

            var script = new StringBuilder();
            for (var i = 0; i < commands.Count; i++)
            {
                // The command on lines of its own, so a trailing "# comment" stays a comment.
                script.Append(CultureInfo.InvariantCulture, $"printf '\\n::begin {i}\\n'\n{{\n{commands[i]}\n}} 2>&1\nprintf '\\n::end {i} %d\\n' $?\n");
            }

            var scriptPath = Path.Combine(folder, "readme.sh");
            await File.WriteAllTextAsync(scriptPath, script.ToString());
            var start = new ProcessStartInfo("bash", [scriptPath]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["MIZZEN_URL"] = server.ToString().TrimEnd('/');
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
            using var timeout = new CancellationTokenSource(within);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return Split(commands, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<CommandResult> Split(IReadOnlyList<string> commands, string output, string errors)
    {
        var results = new List<CommandResult>();
        for (var i = 0; i < commands.Count; i++)
        {
            var begin = output.IndexOf($"\n::begin {i}\n", StringComparison.Ordinal);
            var end = output.IndexOf($"\n::end {i} ", StringComparison.Ordinal);
            if (begin < 0 || end < begin)
            {
                throw new InvalidOperationException($"the README's command '{commands[i]}' did not run to its end; bash said: {errors}{output}");
            }

            var text = output[(begin + $"\n::begin {i}\n".Length)..end];
            var exit = int.Parse(output[(end + $"\n::end {i} ".Length)..].Split('\n')[0], CultureInfo.InvariantCulture);
            results.Add(new CommandResult(commands[i], exit, text));
        }

        return results;
    }
}

public sealed record CommandResult(string Command, int Exit, string Output);
