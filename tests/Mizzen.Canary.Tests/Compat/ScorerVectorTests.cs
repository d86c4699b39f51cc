using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Tests.Compat;

public sealed class ScorerVectorTests
{
    public static TheoryData<string> Cases => KayentaVectors.CaseNames("scorer");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kayenta_scorer_vector_is_reproduced(string name)
    {
        var c = KayentaVectors.Case("scorer", name);
        var weights = c.GetProperty("groupWeights").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        var metrics = c.GetProperty("metrics").EnumerateArray().Select(m => new ScoredMetric(
            m.GetProperty("name").GetString()!,
            Enum.Parse<MetricClassificationLabel>(m.GetProperty("classification").GetString()!),
            m.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList(),
            m.GetProperty("critical").GetBoolean())).ToList();

        var summary = WeightedSumScorer.Score(metrics, weights);

        summary.Score.ShouldBe(c.GetProperty("expectedSummaryScore").GetDouble());
        if (c.TryGetProperty("expectedGroupScores", out var groups))
        {
            foreach (var g in groups.EnumerateObject())
            {
                summary.Groups.Single(s => s.Name == g.Name).Score.ShouldBe(g.Value.GetDouble());
            }
        }

        if (c.TryGetProperty("expectedGroupScoresSorted", out var sorted))
        {
            summary.Groups.Select(g => g.Score).Order().ShouldBe(sorted.Doubles());
        }
    }
}
