using System.Diagnostics;
using Mizzen.Testing.Kubernetes;

namespace Mizzen.Providers.Kubernetes.Tests.FakeApiServer;

/// <summary>
/// Debian's <c>/usr/bin/kubectl</c> (v1.32) run as a child process against a <see cref="FakeKubernetesApiServer"/>, with the
/// kubeconfig the fake writes and a discovery cache and HOME of its own: a client nobody here wrote, to check the fake.
/// </summary>
internal sealed class Kubectl(string kubeconfig, string home)
{
    public const string Path = "/usr/bin/kubectl";

    public static Kubectl For(FakeKubernetesApiServer server, string directory) =>
        new(server.WriteKubeconfig(directory), directory);

    /// <summary>Writes <paramref name="yaml"/> to a file in the test's folder and returns its path (for <c>apply -f</c>).</summary>
    public string File(string name, string yaml)
    {
        var path = System.IO.Path.Combine(home, name);
        System.IO.File.WriteAllText(path, yaml);
        return path;
    }

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        if (!System.IO.File.Exists(Path))
        {
            throw new InvalidOperationException($"{Path} is missing: these tests need Debian's kubectl (v1.32) installed.");
        }

        var start = new ProcessStartInfo(Path, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = home;
        start.Environment["KUBECACHEDIR"] = System.IO.Path.Combine(home, "cache");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 90 s; stderr: {await stderr}");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }
}

internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public KubectlResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, $"kubectl failed: {Stderr}{Stdout}");
        return this;
    }
}
