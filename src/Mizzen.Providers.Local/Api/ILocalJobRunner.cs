namespace Mizzen.Providers.Local.Api;

/// <summary>Runs a one-off job from a bundle to completion (runJob).</summary>
public interface ILocalJobRunner
{
    Task<RunJobResult> RunJobAsync(RunJobRequest request, CancellationToken cancellationToken);
}
