namespace Mizzen.Canary.Judge;

/// <summary>The judge's output for one interval: the score and its label, group scores, each metric, and warnings.</summary>
public sealed record CanaryJudgeResult(
    string JudgeName,
    double Score,
    CanaryScoreClassification Classification,
    string ClassificationReason,
    CanaryScoreThresholds Thresholds,
    IReadOnlyList<GroupScore> GroupScores,
    IReadOnlyList<CanaryAnalysisResult> Results,
    IReadOnlyList<string> Warnings);
