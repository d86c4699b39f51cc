using System.Text.Json.Nodes;

namespace Mizzen.Cli.Pipelines;

/// <summary>
/// A manual trigger's artifacts: the JSON list in <c>--artifacts-file</c> first, then each
/// <c>--artifact type=docker/image,name=gcr.io/p/app,version=1.2,reference=gcr.io/p/app:1.2</c>. Checked here as far as a flag can be
/// wrong (an unknown field, no type); the server checks the rest and binds them to the pipeline's expected artifacts.
/// </summary>
internal static class TriggerArtifacts
{
    private static readonly string[] Fields = ["type", "name", "version", "reference", "location", "artifactAccount", "customKind", "uuid"];

    public static async Task<JsonArray> ReadAsync(string? file, IReadOnlyList<string> flags, TextWriter warnings, CancellationToken cancellationToken)
    {
        var artifacts = new JsonArray();
        if (file is not null)
        {
            var node = await InputFiles.ReadJsonAsync(file, warnings, cancellationToken);
            var list = node as JsonArray ?? (node as JsonObject)?["artifacts"] as JsonArray
                       ?? throw CliException.Usage($"{file} must hold a JSON list of artifacts (or an object with \"artifacts\")");
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject artifact || artifact["type"] is null)
                {
                    throw CliException.Usage($"{file}: artifacts[{i}] must be an artifact object with a type");
                }

                artifacts.Add(artifact.DeepClone());
            }
        }

        foreach (var flag in flags)
        {
            artifacts.Add(Parse(flag));
        }

        return artifacts;
    }

    private static JsonObject Parse(string flag)
    {
        var artifact = new JsonObject();
        foreach (var pair in flag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"--artifact {flag}: write each field as key=value, separated by commas (type=docker/image,name=...,reference=...)");
            }

            var key = pair[..equals];
            if (!Fields.Contains(key, StringComparer.Ordinal))
            {
                throw CliException.Usage($"--artifact {flag}: unknown field '{key}' (fields: {string.Join(", ", Fields)})");
            }

            artifact[key] = pair[(equals + 1)..];
        }

        return artifact["type"] is null
            ? throw CliException.Usage($"--artifact {flag}: an artifact needs a type (type=docker/image, http/file, github/file ...)")
            : artifact;
    }
}
