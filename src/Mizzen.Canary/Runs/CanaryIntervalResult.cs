using Mizzen.Canary.Judge;
using Mizzen.Canary.Reports;

namespace Mizzen.Canary.Runs;

/// <summary>One judged interval: the judge's result, its report, and whether the run may go on.</summary>
public sealed record CanaryIntervalResult(CanaryInterval? Interval, CanaryJudgeResult Judgement, CanaryReport Report, CanaryRunVerdict Continue);
