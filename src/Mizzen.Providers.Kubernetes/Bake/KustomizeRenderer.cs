using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Kubernetes.Bake;

/// <summary>
/// Renders a kustomization with <c>kubectl kustomize DIR</c> (rosco's KUSTOMIZE renderer runs <c>kustomize build</c>; kubectl carries the
/// same code). <c>kustomizeFilePath</c> is the kustomization file's path in the checked-out folder (or its directory); kustomize's own
/// load restrictor keeps it from reading files outside that directory tree.
/// </summary>
public sealed class KustomizeRenderer(IOptions<KustomizeOptions> options, TimeProvider clock)
{
    public async Task<string> RenderAsync(string checkout, string? kustomizeFilePath, CancellationToken cancellationToken)
    {
        var directory = Directory(checkout, kustomizeFilePath);
        return await RendererProcess.RunAsync(
            options.Value.KubectlPath, ["kustomize", directory], directory, options.Value.Timeout, clock, "kubectl kustomize", cancellationToken);
    }

    /// <summary>
    /// The directory to build: the file's folder, or the path itself when it is a folder; never outside <paramref name="checkout"/>.
    /// Problems name <paramref name="field"/> (<c>helmChartFilePath</c> when a helm bake asks).
    /// </summary>
    internal static string Directory(string checkout, string? kustomizeFilePath, string field = "kustomizeFilePath")
    {
        var root = Path.GetFullPath(checkout);
        var relative = (kustomizeFilePath ?? "").Trim().TrimStart('/');
        var target = Path.GetFullPath(Path.Combine(root, relative));
        if (target != root && !target.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new ValidationException(field, $"'{kustomizeFilePath}' is outside the input artifact");
        }

        if (System.IO.Directory.Exists(target))
        {
            return target;
        }

        if (File.Exists(target))
        {
            return Path.GetDirectoryName(target)!;
        }

        throw new ValidationException(field, $"'{kustomizeFilePath}' does not exist in the input artifact");
    }
}
