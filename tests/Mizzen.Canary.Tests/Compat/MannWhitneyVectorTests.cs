using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Tests.Compat;

public sealed class MannWhitneyVectorTests
{
    public static TheoryData<string> Cases => KayentaVectors.CaseNames("mannWhitney");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kayenta_mann_whitney_vector_is_reproduced(string name)
    {
        var c = KayentaVectors.Case("mannWhitney", name);
        if (c.TryGetProperty("inverseNormal(0.01)", out var z))
        {
            NormalDistribution.InverseCdf(0.01).ShouldBe(z.Number(), c.GetProperty("tolerance").Number());
        }
        else if (c.TryGetProperty("checks", out var checks))
        {
            var test = new MannWhitney(c.GetProperty("x").Doubles(), c.GetProperty("y").Doubles());
            foreach (var check in checks.EnumerateArray())
            {
                test.WilcoxonDiff(check.GetProperty("mu").Number(), check.GetProperty("quantile").Number())
                    .ShouldBe(check.GetProperty("expected").Number(), c.GetProperty("tolerance").Number());
            }
        }
        else if (c.TryGetProperty("x", out var x))
        {
            IntermediateValuesMatch(c, x.Doubles(), c.GetProperty("y").Doubles());
        }
        else
        {
            var result = MannWhitney.Test(c.GetProperty("experiment").Doubles(), c.GetProperty("control").Doubles(), c.GetProperty("confidenceLevel").Number());
            var expected = c.GetProperty("expected");
            var tolerance = c.GetProperty("tolerance");
            var ciTolerance = tolerance.ValueKind == System.Text.Json.JsonValueKind.Object ? tolerance.GetProperty("ci").Number() : tolerance.Number();
            var estimateTolerance = tolerance.ValueKind == System.Text.Json.JsonValueKind.Object ? tolerance.GetProperty("estimate").Number() : tolerance.Number();
            result.LowerConfidence.ShouldBe(expected.GetProperty("ciLow").Number(), ciTolerance);
            result.UpperConfidence.ShouldBe(expected.GetProperty("ciHigh").Number(), ciTolerance);
            result.Estimate.ShouldBe(expected.GetProperty("estimate").Number(), estimateTolerance);
        }
    }

    private static void IntermediateValuesMatch(System.Text.Json.JsonElement c, double[] x, double[] y)
    {
        var e = c.GetProperty("expected");
        var test = new MannWhitney(x, y);
        var zq = -NormalDistribution.InverseCdf((1 - c.GetProperty("confidenceLevel").Number()) / 2);
        test.MuMin.ShouldBe(e.GetProperty("muMin").Number(), 1e-9);
        test.MuMax.ShouldBe(e.GetProperty("muMax").Number(), 1e-9);
        zq.ShouldBe(e.GetProperty("zqLower").Number(), 1e-9);
        test.WilcoxonDiff(test.MuMin, zq).ShouldBe(e.GetProperty("fLower1").Number(), 1e-6);
        test.WilcoxonDiff(test.MuMax, zq).ShouldBe(e.GetProperty("fUpper1").Number(), 1e-6);
        test.WilcoxonDiff(test.MuMin, -zq).ShouldBe(e.GetProperty("fLower2").Number(), 1e-6);
        test.WilcoxonDiff(test.MuMax, -zq).ShouldBe(e.GetProperty("fUpper2").Number(), 1e-6);
        var result = test.ConfidenceInterval(c.GetProperty("confidenceLevel").Number());
        result.LowerConfidence.ShouldBe(e.GetProperty("ciLower").Number(), 1e-6);
        result.UpperConfidence.ShouldBe(e.GetProperty("ciUpper").Number(), 1e-6);
        result.Estimate.ShouldBe(e.GetProperty("estimate").Number(), 1e-4);
    }
}
