using System.Diagnostics;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>A real git repository in a temporary folder, made with the git CLI; deleted on dispose.</summary>
public sealed class TestGitRepo : IDisposable
{
    private TestGitRepo(string root)
    {
        Root = root;
        Path = System.IO.Path.Combine(root, "origin");
    }

    /// <summary>The folder holding the repository (an account's <c>file://</c> baseUrl).</summary>
    public string Root { get; }

    public string Path { get; }

    public string Url => new Uri(Path).AbsoluteUri;

    public static async Task<TestGitRepo> CreateAsync()
    {
        var repo = new TestGitRepo(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mizzen-test-git-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(repo.Path);
        await repo.GitAsync("init", "--quiet", "--initial-branch=main");
        return repo;
    }

    /// <summary>Writes the files and commits them; returns the commit id.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(Path, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        await GitAsync("add", "--all");
        await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", message);
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    public Task<string> GitAsync(params string[] arguments) => RunAsync(Path, arguments);

    private static async Task<string> RunAsync(string folder, string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = folder;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start: apt-get install git");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
    }

    public void Dispose()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(Root, recursive: true);
    }
}
