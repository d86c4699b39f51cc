using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;

namespace Mizzen.Canary.Tests.Judge;

public sealed class CanaryVerdictTests
{
    [Theory]
    [InlineData(75.0, "Fail")]
    [InlineData(75.01, "Marginal")]
    [InlineData(95.0, "Pass")]
    [InlineData(74.99, "Fail")]
    public void A_score_equal_to_marginal_fails_as_in_orca(double score, string expected)
        => CanaryVerdict.Classify(score, new CanaryScoreThresholds(95, 75)).ToString().ShouldBe(expected);

    [Fact]
    public void When_pass_equals_marginal_failure_wins()
        => CanaryVerdict.Classify(50, new CanaryScoreThresholds(50, 50)).ShouldBe(CanaryScoreClassification.Fail);

    [Fact]
    public void An_interval_at_marginal_stops_the_run_with_orcas_message()
        => CanaryRunVerdict.AfterInterval(75, 75).ShouldBe(new CanaryRunVerdict(false, "Canary score is not above the marginal score threshold."));

    [Theory]
    [InlineData(new[] { 10.5, 40.0, 60.5 }, 60.5, null, true)]
    [InlineData(new[] { 10.5, 40.0, 60.5 }, 70.0, null, false)]
    [InlineData(new[] { 10.5, 40.0, 60.5 }, 55.0, 5.0, true)]
    [InlineData(new[] { 65.0 }, null, 68.0, false)]
    [InlineData(new[] { 65.0 }, 70.0, 68.0, false)]
    [InlineData(new[] { 65.0 }, 60.5, 5.0, true)]
    public void Orca_final_verdict_vectors_are_reproduced(double[] scores, double? pass, double? marginal, bool succeeded)
        => CanaryRunVerdict.Final(scores, pass, marginal).Succeeded.ShouldBe(succeeded);
}
