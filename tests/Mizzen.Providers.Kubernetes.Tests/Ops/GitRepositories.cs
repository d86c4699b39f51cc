using System.Diagnostics;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>The bake tests' input repositories: real git repositories made with the git CLI, committed on <c>main</c>.</summary>
internal static class GitRepositories
{
    /// <summary>Makes <paramref name="folder"/> (already holding its files) a repository with one commit of everything in it on <c>main</c>.</summary>
    public static void CommitAll(string folder, string message)
    {
        Git(folder, "init", "--quiet", "-b", "main");
        Git(folder, "add", ".");
        Git(folder, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", message);
    }

    /// <summary>Deletes a folder of repositories (git makes its object files read-only).</summary>
    public static void Delete(DirectoryInfo folder)
    {
        foreach (var file in folder.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            file.Attributes = FileAttributes.Normal;
        }

        folder.Delete(recursive: true);
    }

    private static void Git(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, process.StandardError.ReadToEnd());
    }
}
