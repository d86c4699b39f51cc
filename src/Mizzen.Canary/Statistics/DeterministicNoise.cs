namespace Mizzen.Canary.Statistics;

/// <summary>
/// Gaussian noise from a fixed seed (SplitMix64 + Box-Muller), written out so the sequence never depends on the
/// runtime's <see cref="Random"/> implementation. Kayenta uses an unseeded generator here; we want the same
/// inputs to give the same verdict on every run and every machine.
/// </summary>
public sealed class DeterministicNoise(ulong seed)
{
    /// <summary>The seed the judge uses.</summary>
    public const ulong JudgeSeed = 0x4D697A7A656E4A75;

    private ulong state = seed;
    private double? spare;

    public double NextGaussian()
    {
        if (spare is { } cached)
        {
            spare = null;
            return cached;
        }

        double u1;
        do
        {
            u1 = NextUniform();
        }
        while (u1 <= double.Epsilon);

        var u2 = NextUniform();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    private double NextUniform() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
