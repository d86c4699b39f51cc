namespace Mizzen.Engine.Benchmarks.ListQueries;

/// <summary>A clock the seeder moves, so stored runs get ids and build times spread over past weeks.</summary>
internal sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
