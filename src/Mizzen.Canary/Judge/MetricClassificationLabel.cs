namespace Mizzen.Canary.Judge;

/// <summary>Kayenta's per-metric labels; serialised by name (<c>"Pass"</c>, <c>"NodataFailMetric"</c> ...).</summary>
public enum MetricClassificationLabel
{
    Pass,
    High,
    Low,
    Nodata,
    NodataFailMetric,
    Error,
}
