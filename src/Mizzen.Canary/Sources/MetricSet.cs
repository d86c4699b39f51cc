namespace Mizzen.Canary.Sources;

/// <summary>One series a query returned: its tags, values (NaN for gaps) aligned from <see cref="Start"/> every <see cref="StepSeconds"/>.</summary>
public sealed record MetricSet(string Name, IReadOnlyDictionary<string, string> Tags, DateTimeOffset Start, int StepSeconds, IReadOnlyList<double> Values, string Query);
