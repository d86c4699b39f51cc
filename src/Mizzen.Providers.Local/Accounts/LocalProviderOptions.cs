namespace Mizzen.Providers.Local.Accounts;

/// <summary>
/// Options of the local provider. Accounts are bound from <c>Mizzen:Accounts</c> (entries with <c>type: local</c>), the rest from
/// <c>Mizzen:Providers:Local</c>.
/// </summary>
public sealed class LocalProviderOptions
{
    public const string AccountsSection = "Mizzen:Accounts";
    public const string SectionName = "Mizzen:Providers:Local";

    public List<LocalAccountOptions> Accounts { get; set; } = [];

    /// <summary>
    /// How often a re-adopted instance process (one a previous Mizzen started, so not our child) is checked for life in /proc.
    /// Processes this Mizzen started are not polled: their exit wakes the supervisor at once. Default 1 s.
    /// </summary>
    public TimeSpan SupervisionInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often each instance's log files are checked against <see cref="LogFileMaxBytes"/>: a file may outgrow the limit by what
    /// the instance writes in this time before it is rotated. Default 2 s.
    /// </summary>
    public TimeSpan LogCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time between SIGTERM and SIGKILL when stopping an instance. Default 10 s.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long stopping an instance (resize down, destroy) waits for the requests in flight to it to finish before SIGTERM. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First restart delay after a crash; doubles per crash up to <see cref="RestartBackoffMax"/>. Default 1 s.</summary>
    public TimeSpan RestartBackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An instance Up this long has its backoff reset. Default 60 s.</summary>
    public TimeSpan RestartBackoffResetAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Size at which an instance's stdout/stderr file is rotated. Default 1 MiB.</summary>
    public long LogFileMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Files kept per stream, the live one included. Default 3.</summary>
    public int LogFilesKept { get; set; } = 3;

    public long MaxBundleBytes { get; set; } = 512L * 1024 * 1024;

    public TimeSpan BundleDownloadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Address load balancers listen on. Default 127.0.0.1.</summary>
    public string LoadBalancerListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Time-series resolution (also the scrape and recording interval). Default 10 s.</summary>
    public TimeSpan MetricsResolution { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MetricsRetention { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Output kept from a job (the tail). Default 1 MiB.</summary>
    public int JobOutputMaxChars { get; set; } = 1024 * 1024;

    /// <summary>How long a finished job's folder (its output and exit code) is kept. Default 1 day.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Stop every instance when the host shuts down. Default false: like Marathon tasks, instances outlive Mizzen and are re-adopted.</summary>
    public bool StopInstancesOnShutdown { get; set; }
}
