namespace Mizzen.Canary.Sources;

/// <summary>
/// One side of a canary query (Kayenta's <c>CanaryScope</c>): the scope (usually a server group), its location,
/// the time window, the step in seconds and the extra template parameters.
/// </summary>
public sealed record MetricScope(
    string Scope,
    string? Location,
    DateTimeOffset Start,
    DateTimeOffset End,
    int StepSeconds = 60,
    IReadOnlyDictionary<string, string>? ExtendedScopeParams = null)
{
    public IReadOnlyDictionary<string, string> Parameters => ExtendedScopeParams ?? new Dictionary<string, string>();

    /// <summary>Kayenta's expected number of points, (end − start) / step; shorter series are padded with NaN.</summary>
    public int ExpectedPoints => StepSeconds <= 0 ? 0 : (int)((End - Start).TotalSeconds / StepSeconds);
}

/// <summary>The control and experiment scopes for one <c>scopeName</c>.</summary>
public sealed record MetricScopePair(MetricScope Control, MetricScope Experiment);
