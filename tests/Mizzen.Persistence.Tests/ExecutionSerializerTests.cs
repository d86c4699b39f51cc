using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;

namespace Mizzen.Persistence.Tests;

/// <summary>The list written straight to a stream is byte for byte the list built as a string (escaping included).</summary>
public sealed class ExecutionSerializerTests
{
    [Fact]
    public async Task WriteListAsync_writes_the_same_bytes_as_SerializeList_for_pages_larger_than_its_buffer()
    {
        var executions = Enumerable.Range(0, 120).Select(n => new PipelineExecution
        {
            Id = $"run-{n}",
            Application = "shop",
            Name = "deploy <prod> & \"ünïcödé\" 🚀",
            Status = ExecutionStatus.Succeeded,
            BuildTime = 1_700_000_000_000 + n,
            Trigger = new JsonObject { ["type"] = "manual", ["note"] = "line\nbreak\ttab \u2028 'quote'" },
            Stages = Enumerable.Range(0, 10).Select(s => new StageExecution
            {
                Id = $"{n}-{s}",
                RefId = s.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Type = "wait",
                Name = $"stage {s} <b>",
                Status = ExecutionStatus.Succeeded,
                Context = new JsonObject { ["payload"] = new string('x', 200), ["html"] = "<script>alert(1)</script>" },
            }).ToList(),
        }).ToList();

        using var stream = new MemoryStream();
        await ExecutionSerializer.WriteListAsync(stream, executions, CancellationToken.None);

        stream.Length.ShouldBeGreaterThan(64 * 1024, "the page must span several buffer flushes");
        Encoding.UTF8.GetString(stream.ToArray()).ShouldBe(ExecutionSerializer.SerializeList(executions));
    }

    [Fact]
    public async Task An_empty_list_is_an_empty_array()
    {
        using var stream = new MemoryStream();
        await ExecutionSerializer.WriteListAsync(stream, [], CancellationToken.None);
        Encoding.UTF8.GetString(stream.ToArray()).ShouldBe("[]");
    }
}
