using System.Text.Json;
using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Tests.Compat;

public sealed class StatisticsVectorTests
{
    public static TheoryData<string> Cases => KayentaVectors.CaseNames("statistics");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kayenta_statistics_vector_is_reproduced(string name)
    {
        var c = KayentaVectors.Case("statistics", name);
        var expected = c.GetProperty("expected");
        if (name.StartsWith("Summary", StringComparison.Ordinal))
        {
            var stats = SummaryStatistics.Of(c.GetProperty("data").Doubles());
            Check(stats.Min, expected.GetProperty("min"));
            Check(stats.Max, expected.GetProperty("max"));
            Check(stats.Mean, expected.GetProperty("mean"));
            Check(stats.Std, expected.GetProperty("std"));
            stats.Count.ShouldBe(expected.GetProperty("count").GetInt32());
        }
        else if (name.StartsWith("Percentile", StringComparison.Ordinal))
        {
            var data = c.GetProperty("data").Doubles();
            foreach (var p in expected.EnumerateObject())
            {
                Check(Percentile.Of(data, double.Parse(p.Name[1..], System.Globalization.CultureInfo.InvariantCulture)), p.Value);
            }
        }
        else if (name.StartsWith("CohenD", StringComparison.Ordinal))
        {
            Check(EffectSize.CohenD(c.GetProperty("a").Doubles(), c.GetProperty("b").Doubles()), expected);
        }
        else
        {
            var control = c.GetProperty("control").Doubles();
            var experiment = c.GetProperty("experiment").Doubles();
            var actual = name.StartsWith("CLES", StringComparison.Ordinal) ? EffectSize.Cles(control, experiment) : EffectSize.MeanRatio(control, experiment);
            Check(actual, expected);
        }
    }

    private static void Check(double actual, JsonElement expected)
    {
        var (value, tolerance) = expected.Expectation();
        if (double.IsNaN(value))
        {
            double.IsNaN(actual).ShouldBeTrue();
            return;
        }

        actual.ShouldBe(value, tolerance);
    }
}
