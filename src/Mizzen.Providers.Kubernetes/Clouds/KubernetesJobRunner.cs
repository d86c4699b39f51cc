using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>The seam's <c>runJob</c> (a bundle and a command) has no Kubernetes form: a Job manifest runs with <c>runJobManifest</c>.</summary>
public sealed class KubernetesJobRunner : IJobRunner
{
    public Task StartAsync(JobSpec spec, CancellationToken cancellationToken) =>
        throw KubernetesUnsupported.Operation("runJob with a bundle", "a runJobManifest stage with a Job manifest");

    public Task<JobStatus?> GetAsync(string account, string jobId, CancellationToken cancellationToken) => Task.FromResult<JobStatus?>(null);

    public Task CancelAsync(string account, string jobId, JobKillReason reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
