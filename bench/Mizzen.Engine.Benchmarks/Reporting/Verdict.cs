namespace Mizzen.Engine.Benchmarks.Reporting;

/// <summary>One goal's outcome: printed as one line and counted for the exit code.</summary>
internal sealed record Verdict(string Goal, bool Met, string Detail)
{
    public override string ToString() => $"{(Met ? "MET   " : "MISSED")}  {Goal}: {Detail}";
}
