namespace Mizzen.Persistence;

/// <summary>Where and how Mizzen stores its state. Bound from configuration section <c>Mizzen:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary><c>sqlite</c> (default: one file in <see cref="DataFolder"/>, one node) or <c>postgres</c> (any number of nodes on <see cref="ConnectionString"/>).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>With <c>postgres</c>: an Npgsql connection string (<c>Host=...;Database=...;Username=...;Password=...</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The data folder; the SQLite file is <c>mizzen.db</c> inside it. Default <c>./.mizzen</c>.</summary>
    public string DataFolder { get; set; } = ".mizzen";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting. <c>NORMAL</c> (default, with WAL) survives any crash of the Mizzen process;
    /// <c>FULL</c> also survives a power loss of the machine, at the cost of one fsync per transaction.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";

    public string DatabasePath => Path.Combine(DataFolder, "mizzen.db");
}

/// <summary>Retention of finished runs: keep <see cref="Days"/> days, and always at least <see cref="MinimumPerPipeline"/> per pipeline.</summary>
public sealed class RetentionOptions
{
    public bool Enabled { get; set; } = true;

    public int Days { get; set; } = 30;

    public int MinimumPerPipeline { get; set; } = 5;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
