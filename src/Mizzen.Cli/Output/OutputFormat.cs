using System.CommandLine.Parsing;

namespace Mizzen.Cli.Output;

internal enum OutputFormat
{
    Table,
    Json,
}

internal static class OutputFormats
{
    public static OutputFormat Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "table" : result.Tokens[^1].Value;
        switch (text.ToLowerInvariant())
        {
            case "table":
                return OutputFormat.Table;
            case "json":
                return OutputFormat.Json;
            default:
                result.AddError($"unknown output format '{text}': use table or json");
                return OutputFormat.Table;
        }
    }
}
