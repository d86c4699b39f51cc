using System.Text.Json.Nodes;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Local.Clouds;

/// <summary><see cref="IJobRunner"/> over <see cref="ILocalJobRunner"/>.</summary>
internal sealed class LocalJobRunnerAdapter(ILocalJobRunner runner) : IJobRunner
{
    public async Task<JobOutcome> RunAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        var result = await runner.RunJobAsync(new RunJobRequest
        {
            Account = spec.Account,
            Application = spec.Application,
            Artifact = LocalMapping.ToLocal(spec.Artifact),
            Command = spec.Command,
            Args = spec.Args,
            Env = spec.Env,
            Timeout = spec.Timeout,
        }, cancellationToken);
        var properties = new JsonObject();
        foreach (var (key, value) in result.Properties)
        {
            properties[key] = ToNode(value);
        }

        return new JobOutcome(result.JobId, result.ExitCode, result.TimedOut, result.Output, properties);
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        IEnumerable<KeyValuePair<string, object?>> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value)))),
        IEnumerable<object?> list => new JsonArray(list.Select(ToNode).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}
