using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Kubernetes.Bake;

/// <summary>
/// Renders a chart with <c>helm template RELEASE CHART --namespace NS [--values FILE]… [--set-string|--set K=V]… [--include-crds]</c>,
/// as rosco's Helm renderer does (overrides are strings unless <c>rawOverrides</c>). Only when <see cref="HelmOptions.Path"/> is set.
/// </summary>
public sealed class HelmRenderer(IOptions<HelmOptions> options, TimeProvider clock)
{
    public bool IsAvailable => !string.IsNullOrWhiteSpace(options.Value.Path);

    public static string NotAvailableMessage(string renderer) =>
        $"templateRenderer {renderer} is not available: Mizzen does not ship helm; install helm 3 and set {HelmOptions.SectionName}:Path to its binary, or render with KUSTOMIZE";

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
}
