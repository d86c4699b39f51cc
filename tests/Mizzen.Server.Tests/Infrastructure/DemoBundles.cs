using System.Diagnostics;

namespace Mizzen.Server.Tests.Infrastructure;

/// <summary>
/// The demo service's release bundles, built once per test run with <c>samples/demo-service/make-bundles.sh</c> (needs the .NET SDK, sh and tar,
/// which a machine that builds Mizzen has).
/// </summary>
public static class DemoBundles
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static Task<string> FolderAsync() => Built.Value;

    /// <summary>Copies the bundles into <c>&lt;data&gt;/demo/bundles</c>, where the demo setup finds them and skips its own build.</summary>
    public static void CopyInto(string bundleFolder, string dataFolder)
    {
        var target = Path.Combine(dataFolder, "demo", "bundles");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(bundleFolder, "demo-v*.tar.gz"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    private static async Task<string> BuildAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "samples", "demo-service", "make-bundles.sh")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("cannot find samples/demo-service above the test binaries; run the tests from a Mizzen checkout");
        }

        var output = Path.Combine(Path.GetTempPath(), $"mizzen-test-bundles-{Environment.ProcessId}");
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root.FullName, "samples", "demo-service", "make-bundles.sh"));
        start.ArgumentList.Add(output);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"make-bundles.sh failed (exit {process.ExitCode}); it needs the .NET SDK, sh and tar:\n{await stdout}{await stderr}");
    }
}
