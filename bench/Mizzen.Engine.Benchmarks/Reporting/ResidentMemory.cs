namespace Mizzen.Engine.Benchmarks.Reporting;

/// <summary>Process memory: resident set (VmRSS from /proc/self/status) and the managed heap after a full collection.</summary>
internal static class ResidentMemory
{
    public static double ResidentMegabytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is null ? double.NaN : long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    public static double ManagedHeapMegabytesAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0);
    }

    /// <summary>RSS is read first, as the process stands; the managed heap is then measured after a forced full GC.</summary>
    public static MemorySample Sample(string moment)
    {
        var resident = ResidentMegabytes();
        return new MemorySample(moment, resident, ManagedHeapMegabytesAfterFullGc());
    }
}

internal sealed record MemorySample(string Moment, double ResidentMb, double ManagedHeapMb);
