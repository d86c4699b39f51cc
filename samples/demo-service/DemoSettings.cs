using System.Globalization;

namespace Mizzen.Samples.DemoService;

/// <summary>The demo's behaviour, read once from the environment.</summary>
internal sealed record DemoSettings(string Version, string InstanceId, double FaultRate, int ExtraLatencyMs)
{
    public static DemoSettings FromEnvironment() => new(
        Environment.GetEnvironmentVariable("VERSION") ?? "unknown",
        Environment.GetEnvironmentVariable("MIZZEN_INSTANCE_ID") ?? Environment.MachineName,
        Math.Clamp(ParseDouble("FAULT_RATE"), 0, 1),
        (int)Math.Max(0, ParseDouble("EXTRA_LATENCY_MS")));

    private static double ParseDouble(string name) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
