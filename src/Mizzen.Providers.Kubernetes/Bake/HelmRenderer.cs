using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Kubernetes.Bake;

/// <summary>
/// Renders a chart with <c>helm template RELEASE CHART --namespace NS [--values FILE]… [--set-string|--set K=V]… [--include-crds]
/// [--api-versions V] [--kube-version V]</c>, as rosco's Helm renderer does for HELM3 (overrides are strings unless <c>rawOverrides</c>;
/// rosco joins overrides and values files with commas into one flag each, which helm reads the same as repeated flags; <c>--set</c>
/// wins over <c>--values</c> wherever it stands). HELM2 is rendered the same way by the one helm 3 binary. Only when
/// <see cref="HelmOptions.Path"/> is set.
/// </summary>
public sealed class HelmRenderer(IOptions<HelmOptions> options, TimeProvider clock)
{
    public bool IsAvailable => !string.IsNullOrWhiteSpace(options.Value.Path);

    public static string NotAvailableMessage(string renderer) =>
        $"templateRenderer {renderer} is not available: Mizzen does not ship helm; install helm 3 and set {HelmOptions.SectionName}:Path to its binary, or render with KUSTOMIZE";

    public static string UnknownOfflineMessage(string renderer) =>
        $"templateRenderer {renderer} needs a helm binary on the server ({HelmOptions.SectionName}:Path), which offline validation cannot see: the server refuses this pipeline while it is unset";

    public async Task<string> RenderAsync(HelmRequest request, CancellationToken cancellationToken)
    {
        if (!IsAvailable)
        {
            throw new ValidationException("templateRenderer", NotAvailableMessage("HELM3"));
        }

        return await RendererProcess.RunAsync(
            options.Value.Path!, Arguments(request), Path.GetDirectoryName(request.Chart) ?? Path.GetTempPath(), options.Value.Timeout, clock, "helm template", cancellationToken);
    }

    internal static List<string> Arguments(HelmRequest request)
    {
        var arguments = new List<string> { "template", request.ReleaseName, request.Chart };
        if (!string.IsNullOrEmpty(request.Namespace))
        {
            arguments.AddRange(["--namespace", request.Namespace]);
        }

        foreach (var values in request.ValuesFiles)
        {
            arguments.AddRange(["--values", values]);
        }

        foreach (var (key, value) in request.Overrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            arguments.AddRange([request.RawOverrides ? "--set" : "--set-string", $"{key}={value}"]);
        }

        if (request.IncludeCrds)
        {
            arguments.Add("--include-crds");
        }

        if (!string.IsNullOrWhiteSpace(request.ApiVersions))
        {
            arguments.AddRange(["--api-versions", request.ApiVersions]);
        }

        if (!string.IsNullOrWhiteSpace(request.KubeVersion))
        {
            arguments.AddRange(["--kube-version", request.KubeVersion]);
        }

        return arguments;
    }
}

/// <summary>One <c>helm template</c> call: the chart (a folder or a .tgz file) and values files are local paths.</summary>
public sealed record HelmRequest(string ReleaseName, string Chart, string? Namespace)
{
    public IReadOnlyList<string> ValuesFiles { get; init; } = [];

    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    public bool RawOverrides { get; init; }

    public bool IncludeCrds { get; init; }

    /// <summary>Kubernetes API versions for the chart's <c>.Capabilities.APIVersions</c> (rosco's <c>apiVersions</c>).</summary>
    public string? ApiVersions { get; init; }

    /// <summary>The Kubernetes version for <c>.Capabilities.KubeVersion</c> (rosco's <c>kubeVersion</c>).</summary>
    public string? KubeVersion { get; init; }
}
