namespace Mizzen.Providers.Local.Api;

/// <summary>
/// A Spinnaker artifact of type <c>local/bundle</c>: <see cref="Reference"/> is a folder, a <c>.zip</c> or a <c>.tar.gz</c>,
/// given as a local path or an http(s) URL.
/// </summary>
public sealed record LocalArtifact
{
    public const string BundleType = "local/bundle";

    public string Type { get; init; } = BundleType;

    public string? Name { get; init; }

    public string? Version { get; init; }

    public required string Reference { get; init; }
}
