using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Judge;

/// <summary>One side after the NaN strategy and outlier removal, with what was dropped or replaced.</summary>
public sealed record PreparedSide(double[] Values, int RawCount, int NanCount, int OutliersRemoved, SummaryStatistics Statistics)
{
    public static PreparedSide Prepare(IReadOnlyList<double> raw, MetricAnalysisSettings settings)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(settings);
        var nanCount = raw.Count(double.IsNaN);
        var values = settings.NanStrategy == NanStrategy.Replace ? Transforms.ReplaceNaNs(raw) : Transforms.RemoveNaNs(raw);
        var beforeOutliers = values.Length;
        if (settings.OutlierStrategy == OutlierStrategy.Remove)
        {
            values = Transforms.RemoveOutliers(values, new IqrOutlierDetector(settings.OutlierFactor, reduceSensitivity: true));
        }

        return new PreparedSide(values, raw.Count, nanCount, beforeOutliers - values.Length, SummaryStatistics.Of(values));
    }
}
