using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mizzen.Providers.Local.Health;
using Mizzen.Providers.Local.LoadBalancing;
using Mizzen.Providers.Local.State;

namespace Mizzen.Providers.Local.Instances;

/// <summary>
/// Supervises one instance: adopts its recorded process if it still runs, else starts one; checks that it lives and is healthy;
/// restarts it with capped exponential backoff when it crashes; rotates its logs. Idle supervision is cheap: the loop sleeps until the next
/// health check or log-size check, and the exit of a process we started wakes it at once (its exit event, no /proc reads); only a
/// re-adopted process, which is not our child, is polled in /proc every <see cref="LocalProviderOptions.SupervisionInterval"/>. Stopping drains first (the instance is out of rotation;
/// the requests the load balancers have in flight to it finish, up to the drain timeout), then SIGTERM, then SIGKILL after the grace period.
/// </summary>
internal sealed class InstanceRuntime
{
    private readonly InstanceSupervisionContext context;
    private readonly HealthTracker health;
    private readonly RestartBackoff backoff;
    private readonly CancellationTokenSource stopping = new();
    private Process? process;
    private Task exited = Task.CompletedTask;
    private Task loop = Task.CompletedTask;
    private DateTimeOffset? upSince;
    private volatile InstanceState state = InstanceState.Starting;

    public InstanceRuntime(InstanceRecord record, InstanceSupervisionContext context)
    {
        Record = record;
        this.context = context;
        var spec = context.ServerGroup.HealthCheck;
        health = new HealthTracker(spec.HealthyThreshold, spec.UnhealthyThreshold);
        backoff = new RestartBackoff(context.Options.RestartBackoffInitial, context.Options.RestartBackoffMax);
        Endpoint = new InstanceEndpoint(record.Id, record.Port);
        Logs = new InstanceLogs(context.Folder, context.Options.LogFileMaxBytes, context.Options.LogFilesKept);
    }

    public InstanceRecord Record { get; }

    public InstanceEndpoint Endpoint { get; }

    public InstanceLogs Logs { get; }

    public InstanceState State => state;

    private string ServerGroup => context.ServerGroup.Name;

    public void Start() => loop = Task.Run(() => SuperviseAsync(stopping.Token));

    /// <summary>Stops supervising but leaves the process running (Mizzen shutting down; a new Mizzen re-adopts it).</summary>
    public async Task DetachAsync()
    {
        await stopping.CancelAsync();
        await loop;
    }

    /// <summary>
    /// Stops supervising and ends the process: waits until no load balancer has a request in flight to it (the caller has already taken
    /// it out of rotation; bounded by <see cref="LocalProviderOptions.DrainTimeout"/>), then SIGTERM to its process group, SIGKILL when
    /// the grace period is over.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DetachAsync();
        SetState(InstanceState.OutOfService);
        await DrainAsync(cancellationToken);
        if (Record.Pid is not { } pid || Record.ProcessStartMarker is not { } marker || !ProcessIdentity.IsAlive(pid, marker))
        {
            return;
        }

        PosixSignals.Send(pid, Record.OwnProcessGroup, PosixSignals.SigTerm);
        var deadline = context.Time.GetUtcNow() + context.Options.StopGracePeriod;
        while (ProcessIdentity.IsAlive(pid, marker) && context.Time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), context.Time, cancellationToken);
        }

        var killed = ProcessIdentity.IsAlive(pid, marker);
        if (killed)
        {
            PosixSignals.Send(pid, Record.OwnProcessGroup, PosixSignals.SigKill);
        }

        Log.InstanceStopped(context.Logger, ServerGroup, Record.Id, pid, killed);
        process?.Dispose();
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var deadline = context.Time.GetUtcNow() + context.Options.DrainTimeout;
        while (Endpoint.InFlight > 0)
        {
            if (context.Time.GetUtcNow() >= deadline)
            {
                Log.InstanceDrainTimedOut(context.Logger, ServerGroup, Record.Id, Endpoint.InFlight, context.Options.DrainTimeout);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), context.Time, cancellationToken);
        }
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await AdoptOrLaunchAsync(cancellationToken);
            var nextProbe = context.Time.GetUtcNow();
            var nextLogCheck = nextProbe;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!IsRunning())
                {
                    await RestartAfterCrashAsync(cancellationToken);
                    nextProbe = context.Time.GetUtcNow();
                    continue;
                }

                var now = context.Time.GetUtcNow();
                if (now >= nextProbe)
                {
                    await ProbeAsync(cancellationToken);
                    // Without a health check the instance stays Up until its process exits (which relaunches it and probes again).
                    nextProbe = context.ServerGroup.HealthCheck.Type == HealthCheckType.None
                        ? DateTimeOffset.MaxValue
                        : context.Time.GetUtcNow() + context.ServerGroup.HealthCheck.Interval;
                }

                if (now >= nextLogCheck)
                {
                    Logs.RotateIfNeeded();
                    nextLogCheck = now + context.Options.LogCheckInterval;
                }

                if (state == InstanceState.Up && upSince is { } since && now - since >= context.Options.RestartBackoffResetAfter)
                {
                    backoff.Reset();
                }

                var until = nextProbe < nextLogCheck ? nextProbe : nextLogCheck;
                var ownChild = IsOwnChild();
                if (!ownChild)
                {
                    var poll = now + context.Options.SupervisionInterval;
                    until = poll < until ? poll : until;
                }

                var wait = TimeSpan.FromTicks(Math.Max((until - context.Time.GetUtcNow()).Ticks, TimeSpan.FromMilliseconds(10).Ticks));
                var delay = Task.Delay(wait, context.Time, cancellationToken);
                await (ownChild ? Task.WhenAny(exited, delay) : delay);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.SupervisionFailed(context.Logger, ServerGroup, Record.Id, e);
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var spec = context.ServerGroup.HealthCheck;
        if (spec.Type == HealthCheckType.None)
        {
            SetState(InstanceState.Up);
            return;
        }

        var passed = await context.Probe.CheckAsync(spec, Record.Port, cancellationToken);
        SetState(health.Record(passed));
    }

    private async Task AdoptOrLaunchAsync(CancellationToken cancellationToken)
    {
        if (Record.Pid is { } pid && Record.ProcessStartMarker is { } marker && ProcessIdentity.IsAlive(pid, marker))
        {
            Log.InstanceAdopted(context.Logger, ServerGroup, Record.Id, pid);
            return;
        }

        if (ProcessIdentity.FindByInstanceId(Record.Id) is { } orphan && ProcessIdentity.StartMarker(orphan) is { } orphanMarker)
        {
            // Started by a Mizzen that died before recording the pid: adopt it rather than start a duplicate.
            Record.Pid = orphan;
            Record.ProcessStartMarker = orphanMarker;
            await context.Persist(cancellationToken);
            Log.InstanceAdopted(context.Logger, ServerGroup, Record.Id, orphan);
            return;
        }

        await LaunchAsync(cancellationToken);
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        health.Reset();
        upSince = null;
        SetState(InstanceState.Starting);
        Directory.CreateDirectory(context.Folder);
        try
        {
            var launched = ProcessLauncher.Launch(
                context.ServerGroup.Argv,
                context.ServerGroup.AppFolder,
                context.EnvironmentFor(Record),
                Logs.PathOf(LogStream.Stdout),
                Logs.PathOf(LogStream.Stderr));
            process?.Dispose();
            process = launched.Process;
            exited = process.WaitForExitAsync(cancellationToken);
            Record.Pid = launched.Pid;
            Record.ProcessStartMarker = launched.StartMarker;
            Record.OwnProcessGroup = launched.OwnProcessGroup;
            Record.LaunchTime = context.Time.GetUtcNow();
            Log.InstanceLaunched(context.Logger, ServerGroup, Record.Id, launched.Pid, Record.Port);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            Record.Pid = null;
            Record.ProcessStartMarker = null;
            Log.InstanceLaunchFailed(context.Logger, ServerGroup, Record.Id, e);
        }

        await context.Persist(cancellationToken);
    }

    private bool IsRunning()
    {
        if (Record.Pid is not { } pid || Record.ProcessStartMarker is not { } marker)
        {
            return false;
        }

        if (IsOwnChild())
        {
            // Our child: the runtime reaps it and knows when it exits, no /proc read needed.
            return !process!.HasExited;
        }

        return ProcessIdentity.IsAlive(pid, marker);
    }

    /// <summary>Whether the recorded process is the child this runtime started, whose exit it learns without polling.</summary>
    private bool IsOwnChild() => process is not null && Record.Pid == process.Id && Record.ProcessStartMarker is not -1;

    private async Task RestartAfterCrashAsync(CancellationToken cancellationToken)
    {
        int? exitCode = process is { HasExited: true } ? process.ExitCode : null;
        SetState(InstanceState.Crashed);
        var delay = backoff.NextDelay();
        Record.Restarts++;
        Log.InstanceCrashed(context.Logger, ServerGroup, Record.Id, exitCode, Record.Restarts, delay);
        await Task.Delay(delay, context.Time, cancellationToken);
        await LaunchAsync(cancellationToken);
    }

    private void SetState(InstanceState next)
    {
        if (state == next)
        {
            return;
        }

        state = next;
        upSince = next == InstanceState.Up ? context.Time.GetUtcNow() : null;
        Log.InstanceStateChanged(context.Logger, ServerGroup, Record.Id, next);
        context.StateChanged();
    }
}
