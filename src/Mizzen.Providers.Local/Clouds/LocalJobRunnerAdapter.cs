using System.Text.Json.Nodes;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Local.Clouds;

/// <summary><see cref="IJobRunner"/> over <see cref="ILocalJobRunner"/>.</summary>
internal sealed class LocalJobRunnerAdapter(ILocalJobRunner runner) : IJobRunner
{
    public Task StartAsync(JobSpec spec, CancellationToken cancellationToken) =>
        runner.StartJobAsync(new RunJobRequest
        {
            JobId = spec.JobId,
            Account = spec.Account,
            Application = spec.Application,
            Artifact = LocalMapping.ToLocal(spec.Artifact),
            Command = spec.Command,
            Args = spec.Args,
            Env = spec.Env,
        }, cancellationToken);

    public async Task<JobStatus?> GetAsync(string account, string jobId, CancellationToken cancellationToken)
    {
        if (await runner.GetJobAsync(account, jobId, cancellationToken) is not { } status)
        {
            return null;
        }

        if (status.Result is not { } result)
        {
            return new JobStatus(jobId, null);
        }

        var properties = new JsonObject();
        foreach (var (key, value) in result.Properties)
        {
            properties[key] = ToNode(value);
        }

        return new JobStatus(jobId, new JobOutcome(result.JobId, result.ExitCode, result.TimedOut, result.Output, properties));
    }

    public Task CancelAsync(string account, string jobId, JobKillReason reason, CancellationToken cancellationToken) =>
        runner.CancelJobAsync(account, jobId, timedOut: reason == JobKillReason.TimedOut, cancellationToken);

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
