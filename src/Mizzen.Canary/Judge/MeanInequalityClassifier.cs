using Mizzen.Canary.Statistics;

namespace Mizzen.Canary.Judge;

/// <summary>Kayenta's simplest classifier: High when the experiment's mean is above the control's, Low when below.</summary>
public static class MeanInequalityClassifier
{
    public static MetricClassificationLabel Classify(IReadOnlyList<double> control, IReadOnlyList<double> experiment, MetricDirection direction = MetricDirection.Either)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(experiment);
        var controlMean = Sample.Mean(control.ToArray());
        var experimentMean = Sample.Mean(experiment.ToArray());
        if (direction != MetricDirection.Decrease && experimentMean > controlMean)
        {
            return MetricClassificationLabel.High;
        }

        return direction != MetricDirection.Increase && experimentMean < controlMean ? MetricClassificationLabel.Low : MetricClassificationLabel.Pass;
    }
}
