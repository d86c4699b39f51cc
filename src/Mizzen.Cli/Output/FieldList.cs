namespace Mizzen.Cli.Output;

/// <summary>"name:  value" lines for one object, labels aligned; fields without a value are left out.</summary>
internal static class FieldList
{
    public static void Write(TextWriter writer, params (string Label, string? Value)[] fields)
    {
        var shown = fields.Where(f => !string.IsNullOrEmpty(f.Value)).ToList();
        var width = shown.Count == 0 ? 0 : shown.Max(f => f.Label.Length) + 1;
        foreach (var (label, value) in shown)
        {
            writer.WriteLine($"{(label + ":").PadRight(width)}  {value!.ReplaceLineEndings(" ")}");
        }
    }
}
