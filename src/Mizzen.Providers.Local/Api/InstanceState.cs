namespace Mizzen.Providers.Local.Api;

/// <summary>
/// Starting: running, not yet healthy. Up: healthy. Down: was healthy, now failing checks. OutOfService: healthy but its server group is disabled.
/// Crashed: the process exited; a restart is scheduled with backoff.
/// </summary>
public enum InstanceState
{
    Starting,
    Up,
    Down,
    OutOfService,
    Crashed,
}
