using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Counters and histograms the engine keeps for <c>/metrics</c> (Prometheus text format). Hand-written (about 80
/// lines) because no Prometheus client library is in this machine's package mirror and the format is simple.
/// </summary>
public sealed class EngineMetrics
{
    private static readonly double[] HandlingBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] StageBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 14400];

    private readonly ConcurrentDictionary<string, Histogram> handling = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Histogram> stageDurations = new(StringComparer.Ordinal);

    public void RecordHandled(string kind, TimeSpan elapsed) =>
        handling.GetOrAdd(kind, _ => new Histogram(HandlingBuckets)).Observe(elapsed.TotalSeconds);

    public void RecordStage(string type, string status, TimeSpan duration) =>
        stageDurations.GetOrAdd(type + "\u0000" + status, _ => new Histogram(StageBuckets)).Observe(duration.TotalSeconds);

    public void Write(StringBuilder output)
    {
        output.AppendLine("# HELP mizzen_message_handling_seconds Time to handle one queue message, by kind.");
        output.AppendLine("# TYPE mizzen_message_handling_seconds histogram");
        foreach (var (kind, histogram) in handling.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            histogram.Write(output, "mizzen_message_handling_seconds", $"kind=\"{kind}\"");
        }

        output.AppendLine("# HELP mizzen_stage_duration_seconds Duration of finished stages, by type and status.");
        output.AppendLine("# TYPE mizzen_stage_duration_seconds histogram");
        foreach (var (key, histogram) in stageDurations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var parts = key.Split('\u0000');
            histogram.Write(output, "mizzen_stage_duration_seconds", $"type=\"{parts[0]}\",status=\"{parts[1]}\"");
        }
    }

    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] counts = new long[bounds.Length + 1];
        private readonly Lock gate = new();
        private double sum;
        private long count;

        public void Observe(double value)
        {
            lock (gate)
            {
                var index = Array.FindIndex(bounds, b => value <= b);
                counts[index < 0 ? bounds.Length : index]++;
                sum += value;
                count++;
            }
        }

        public void Write(StringBuilder output, string name, string labels)
        {
            lock (gate)
            {
                long cumulative = 0;
                for (var i = 0; i < bounds.Length; i++)
                {
                    cumulative += counts[i];
                    output.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{bounds[i]}\"}} {cumulative}\n");
                }

                output.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {count}\n");
                output.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {sum}\n");
                output.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {count}\n");
            }
        }
    }
}
