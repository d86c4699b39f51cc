namespace Mizzen.Canary.Reports;

/// <summary>
/// A judged interval explained for people and UIs: the score, each group, and for each metric its verdict in
/// words, the statistics behind it and the raw series to plot. Serialise with <see cref="CanaryReportJson"/>.
/// </summary>
public sealed record CanaryReport(
    double Score,
    string Classification,
    string ClassificationReason,
    ReportThresholds Thresholds,
    IReadOnlyList<GroupReport> Groups,
    IReadOnlyList<MetricReport> Metrics,
    IReadOnlyList<string> Warnings);

public sealed record ReportThresholds(double Pass, double Marginal);

/// <summary>A group's score (0-100), its weight, and the counts behind the score. A <see cref="NoData"/> group counts as 100.</summary>
public sealed record GroupReport(string Name, double Score, double Weight, bool NoData, GroupCounts Counts);

/// <summary>How many of a group's metrics got each classification.</summary>
public sealed record GroupCounts(int Pass, int High, int Low, int NodataFailMetric, int Nodata, int Error);

/// <summary>One metric: <see cref="Reason"/> explains the verdict in words; <see cref="KayentaReason"/> is Kayenta's own text.</summary>
public sealed record MetricReport(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Groups,
    string Classification,
    bool Critical,
    bool Muted,
    string Reason,
    string KayentaReason,
    string Direction,
    SideReport Control,
    SideReport Experiment,
    EffectReport Effect,
    ConfidenceReport? Test,
    IReadOnlyList<string> Warnings,
    SeriesReport Series);

/// <summary>One side after pre-processing: Kayenta's stats plus median and p95, and what pre-processing did.</summary>
public sealed record SideReport(int Count, double Mean, double Median, double P95, double Min, double Max, double Std, int RawCount, int NanCount, int OutliersRemoved);

/// <summary>The mean ratio (Kayenta's deviation) and the configured effect size with its gates.</summary>
public sealed record EffectReport(string Measure, double Value, double MeanRatio, double AllowedIncrease, double AllowedDecrease, double CriticalIncrease, double CriticalDecrease);

/// <summary>The rank-sum interval for experiment − control, the Hodges-Lehmann estimate and the tolerance band.</summary>
public sealed record ConfidenceReport(double ConfidenceLevel, double Lower, double Upper, double Estimate, double ToleranceBandLower, double ToleranceBandUpper, bool NoiseAdded);

/// <summary>The raw values (NaN as null in JSON) with their start and step, for plotting.</summary>
public sealed record SeriesReport(SeriesData Control, SeriesData Experiment);

public sealed record SeriesData(DateTimeOffset? Start, int StepSeconds, string? Query, IReadOnlyList<double> Values);
