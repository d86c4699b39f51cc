using System.ComponentModel;
using System.Diagnostics;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Kubernetes.Bake;

/// <summary>
/// Runs a template renderer (<c>kubectl kustomize</c>, <c>helm template</c>) as a child process and returns what it printed.
/// Arguments go in one by one (never through a shell), stdin is closed, the run is bounded by a timeout on the injected clock and
/// killed with its children when it runs out or the stage is cancelled. A non-zero exit fails with the renderer's last error line.
/// </summary>
internal static class RendererProcess
{
    /// <summary>Rendered manifests larger than this are refused (Spinnaker's artifacts travel in the stage context).</summary>
    public const int MaxOutputChars = 8 * 1024 * 1024;

    public static async Task<string> RunAsync(
        string executable, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, TimeProvider clock, string what, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RendererException($"{what}: '{executable}' did not start");
        }
        catch (Win32Exception e)
        {
            throw new RendererException($"{what}: cannot run '{executable}' ({e.Message})");
        }

        using (process)
        using (var deadline = new CancellationTokenSource(timeout, clock))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(linked.Token);
            var error = process.StandardError.ReadToEndAsync(linked.Token);
            try
            {
                await process.WaitForExitAsync(linked.Token);
                var text = await output;
                var message = (await error).Trim();
                if (process.ExitCode != 0)
                {
                    var last = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {process.ExitCode}";
                    throw new RendererException($"{what} failed: {last}");
                }

                return text.Length <= MaxOutputChars
                    ? text
                    : throw new RendererException($"{what} rendered {text.Length:N0} characters; at most {MaxOutputChars:N0} are kept in a stage");
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new RendererException($"{what} took longer than {timeout}");
                }

                throw;
            }
        }
    }
}

/// <summary>A template renderer that could not run or failed: the caller's input (a bad chart or kustomization) most of the time.</summary>
public sealed class RendererException(string message) : MizzenException(message);
