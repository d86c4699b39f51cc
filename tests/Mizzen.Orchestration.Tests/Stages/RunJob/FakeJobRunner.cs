using System.Text.Json.Nodes;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Orchestration.Tests.Stages.RunJob;

/// <summary>
/// Test double of a provider's jobs: <see cref="IJobRunner.StartAsync"/> records a running job (once per id, like a real provider),
/// the test ends it with <see cref="Finish"/>; cancels are recorded and end the job without an exit code.
/// </summary>
internal sealed class FakeJobRunner : IJobRunner
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Job> jobs = new(StringComparer.Ordinal);

    public sealed class Job(JobSpec spec)
    {
        public JobSpec Spec { get; } = spec;

        public JobOutcome? Outcome { get; set; }

        public int Polls { get; set; }
    }

    public int StartCalls { get; private set; }

    public List<(string JobId, JobKillReason Reason)> Cancels { get; } = [];

    public IReadOnlyList<Job> Jobs
    {
        get
        {
            lock (gate)
            {
                return [.. jobs.Values];
            }
        }
    }

    public Job Single => Jobs.ShouldHaveSingleItem();

    public Task StartAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            StartCalls++;
            jobs.TryAdd(Key(spec.Account, spec.JobId), new Job(spec));
        }

        return Task.CompletedTask;
    }

    public Task<JobStatus?> GetAsync(string account, string jobId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!jobs.TryGetValue(Key(account, jobId), out var job))
            {
                return Task.FromResult<JobStatus?>(null);
            }

            job.Polls++;
            return Task.FromResult<JobStatus?>(new JobStatus(jobId, job.Outcome));
        }
    }

    public Task CancelAsync(string account, string jobId, JobKillReason reason, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Cancels.Add((jobId, reason));
            if (jobs.TryGetValue(Key(account, jobId), out var job) && job.Outcome is null)
            {
                job.Outcome = new JobOutcome(jobId, null, reason == JobKillReason.TimedOut, "working...\n[fake] killed\n", []);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends the job as if its process exited.</summary>
    public void Finish(Job job, int exitCode, string output, JsonObject? properties = null)
    {
        lock (gate)
        {
            job.Outcome = new JobOutcome(job.Spec.JobId, exitCode, false, output, properties ?? []);
        }
    }

    private static string Key(string account, string jobId) => account + "/" + jobId;
}

/// <summary>A cloud provider named <c>local</c> that only runs jobs (through a <see cref="FakeJobRunner"/>).</summary>
internal sealed class JobsOnlyCloud(FakeJobRunner jobs) : ICloudProvider
{
    public string Name => CloudProviderRegistry.DefaultProvider;

    public IServerGroupOperations ServerGroups => throw new NotSupportedException();

    public ILoadBalancerOperations LoadBalancers => throw new NotSupportedException();

    public IJobRunner Jobs => jobs;

    public IClusterReads Reads => throw new NotSupportedException();

    public IReadOnlyList<string> Accounts => ["test"];
}
