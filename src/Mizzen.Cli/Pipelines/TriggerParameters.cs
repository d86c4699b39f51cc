using System.Text.Json.Nodes;

namespace Mizzen.Cli.Pipelines;

/// <summary>A manual trigger's parameters: a <c>-f params.json</c> object first, then each <c>-p key=value</c> on top.</summary>
internal static class TriggerParameters
{
    public static async Task<JsonObject> ReadAsync(string? file, IReadOnlyList<string> pairs, TextWriter warnings, CancellationToken cancellationToken)
    {
        var parameters = file is null ? [] : await InputFiles.ReadObjectAsync(file, warnings, cancellationToken);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"-p {pair}: write a parameter as key=value");
            }

            parameters[pair[..equals]] = pair[(equals + 1)..];
        }

        return parameters;
    }
}
