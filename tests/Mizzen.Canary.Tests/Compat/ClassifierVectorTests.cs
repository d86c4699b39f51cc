using System.Text.Json;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Tests.Compat;

public sealed class ClassifierVectorTests
{
    public static TheoryData<string> Cases => KayentaVectors.CaseNames("classifier");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kayenta_classifier_vector_is_reproduced(string name)
    {
        var c = KayentaVectors.Case("classifier", name);
        var control = c.GetProperty("control").Doubles();
        var experiment = c.GetProperty("experiment").Doubles();
        var direction = CanaryAnalysisSettingsResolver.ParseDirection(c.GetProperty("direction").GetString())!.Value;
        var nanStrategy = CanaryAnalysisSettingsResolver.ParseNanStrategy(c.GetProperty("nanStrategy").GetString())!.Value;

        if (c.GetProperty("classifier").GetString() == "MeanInequality")
        {
            MeanInequalityClassifier.Classify(control, experiment, direction).ToString().ShouldBe(c.GetProperty("expectedClassification").GetString());
            return;
        }

        var es = c.GetProperty("effectSizeThresholds").Doubles();
        var crit = c.GetProperty("criticalThresholds").Doubles();
        var measure = CanaryAnalysisSettingsResolver.ParseMeasure(c.GetProperty("effectSizeMeasure").GetString())!.Value;
        var classifier = new MannWhitneyClassifier(c.GetProperty("tolerance").Number(), c.GetProperty("confLevel").Number(), es[0], es[1], crit[0], crit[1], measure);
        var result = classifier.Classify(name, control, experiment, direction, nanStrategy, c.GetProperty("isCriticalMetric").GetBoolean());

        if (c.GetProperty("expectedClassification").ValueKind == JsonValueKind.String)
        {
            result.Label.ToString().ShouldBe(c.GetProperty("expectedClassification").GetString());
        }

        if (c.TryGetProperty("expectedCritical", out var critical))
        {
            result.Critical.ShouldBe(critical.GetBoolean());
        }

        if (c.TryGetProperty("expectedReasonNonEmpty", out _))
        {
            result.Reason.ShouldNotBeNullOrEmpty();
        }

        if (c.TryGetProperty("expectedDeviation", out var deviation))
        {
            var expected = deviation.Number();
            if (double.IsNaN(expected))
            {
                double.IsNaN(result.Deviation).ShouldBeTrue();
            }
            else
            {
                result.Deviation.ShouldBe(expected);
            }
        }

        if (c.TryGetProperty("derived", out var derived) && derived.ValueKind == JsonValueKind.Object && result.Test is { } test)
        {
            // The "derived" numbers come from the reference's independent port, not from Kayenta's asserts.
            test.LowerConfidence.ShouldBe(derived.GetProperty("ciLow").Number(), 1e-4);
            test.UpperConfidence.ShouldBe(derived.GetProperty("ciHigh").Number(), 1e-4);
            test.Estimate.ShouldBe(derived.GetProperty("estimate").Number(), 1e-3);
        }
    }
}
