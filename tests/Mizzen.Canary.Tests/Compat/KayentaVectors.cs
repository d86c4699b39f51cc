using System.Text.Json;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Compat;

/// <summary>Loads <c>shared/compat/kayenta-judge-vectors.json</c> as it is.</summary>
internal static class KayentaVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(CompatData.PathOf("kayenta-judge-vectors.json"))));

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    public static TheoryData<string> CaseNames(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Section(section).EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static JsonElement Case(string section, string name)
        => Section(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double[] Doubles(this JsonElement element) => element.EnumerateArray().Select(Number).ToArray();

    public static double Number(this JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String when element.GetString() == "NaN" => double.NaN,
        JsonValueKind.Null => double.NaN,
        _ => throw new InvalidOperationException($"not a number: {element}"),
    };

    /// <summary>Reads "4.9295 +- 1e-4" style expectations: (value, tolerance).</summary>
    public static (double Value, double Tolerance) Expectation(this JsonElement element, double defaultTolerance = 1e-9)
    {
        if (element.ValueKind == JsonValueKind.String && element.GetString()!.Contains("+-", StringComparison.Ordinal))
        {
            var parts = element.GetString()!.Split("+-", StringSplitOptions.TrimEntries);
            return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        return (element.Number(), defaultTolerance);
    }
}
