using System.Text.Json;
using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Tests.Compat;

public sealed class DetectorAndTransformVectorTests
{
    public static TheoryData<string> Detectors => KayentaVectors.CaseNames("detectors");

    public static TheoryData<string> TransformCases => KayentaVectors.CaseNames("transforms");

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Kayenta_detector_vector_is_reproduced(string name)
    {
        var c = KayentaVectors.Case("detectors", name);
        var data = c.GetProperty("data").Doubles();
        IOutlierDetector detector = c.GetProperty("detector").GetString() == "ksigma"
            ? new KSigmaOutlierDetector(c.GetProperty("k").Number())
            : new IqrOutlierDetector(c.GetProperty("factor").Number(), c.GetProperty("reduceSensitivity").GetBoolean());

        var flags = detector.Detect(data);

        var expected = c.GetProperty("expected");
        if (expected.ValueKind == JsonValueKind.String)
        {
            // "all false except last (1441) true"
            expected.GetString().ShouldStartWith("all false except last");
            flags.ShouldBe(data.Select((_, i) => i == data.Length - 1).ToArray());
        }
        else
        {
            flags.ShouldBe(expected.EnumerateArray().Select(e => e.GetBoolean()).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(TransformCases))]
    public void Kayenta_transform_vector_is_reproduced(string name)
    {
        var c = KayentaVectors.Case("transforms", name);
        var data = c.GetProperty("data").Doubles();
        var op = c.GetProperty("op").GetString()!;
        var result = op switch
        {
            "removeNaNs" => Transforms.RemoveNaNs(data),
            "replaceNaNs(0.0)" => Transforms.ReplaceNaNs(data, 0.0),
            "removeOutliers(IQR factor=1.5)" => Transforms.RemoveOutliers(data, new IqrOutlierDetector(1.5)),
            "removeOutliers(KSigma k=3)" => Transforms.RemoveOutliers(data, new KSigmaOutlierDetector(3)),
            _ => throw new InvalidOperationException($"unknown op {op}"),
        };

        result.ShouldBe(c.GetProperty("expected").Doubles());
    }
}
