using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Core.Tests;

public class ExecutionStatusTests
{
    [Theory]
    [InlineData(ExecutionStatus.NotStarted, "\"NOT_STARTED\"")]
    [InlineData(ExecutionStatus.FailedContinue, "\"FAILED_CONTINUE\"")]
    [InlineData(ExecutionStatus.Terminal, "\"TERMINAL\"")]
    public void Statuses_use_spinnakers_wire_names(ExecutionStatus status, string json)
    {
        JsonSerializer.Serialize(status, MizzenJson.Options).ShouldBe(json);
        JsonSerializer.Deserialize<ExecutionStatus>(json, MizzenJson.Options).ShouldBe(status);
        status.ToWireName().ShouldBe(json.Trim('"'));
    }

    [Fact]
    public void Halting_statuses_are_terminal_canceled_and_stopped()
    {
        Enum.GetValues<ExecutionStatus>().Where(s => s.IsHalt())
            .ShouldBe([ExecutionStatus.Terminal, ExecutionStatus.Canceled, ExecutionStatus.Stopped], ignoreOrder: true);
        Enum.GetValues<ExecutionStatus>().Where(s => s.IsComplete()).Count().ShouldBe(6);
    }

    [Fact]
    public void Linear_stages_without_ref_ids_are_numbered_and_chained_as_orca_does()
    {
        var config = PipelineConfig.Parse("""{"stages":[{"type":"wait"},{"type":"wait"},{"type":"wait"}]}""");
        PipelineConfig.NumberLinearStages(config.Stages);
        config.Stages[2]!["refId"]!.GetValue<string>().ShouldBe("2");
        config.Stages[2]!["requisiteStageRefIds"]!.ToJsonString().ShouldBe("[\"1\"]");
        config.Stages[0]!["requisiteStageRefIds"]!.ToJsonString().ShouldBe("[]");
    }
}

public class JsonReadingTests
{
    [Fact]
    public void Numbers_built_in_code_read_like_parsed_numbers()
    {
        System.Text.Json.Nodes.JsonValue.Create(5).AsLong().ShouldBe(5);
        System.Text.Json.Nodes.JsonValue.Create(2.5m).AsDouble().ShouldBe(2.5);
        System.Text.Json.Nodes.JsonNode.Parse("7")!.AsLong().ShouldBe(7);
        System.Text.Json.Nodes.JsonNode.Parse("\"12\"")!.AsLong().ShouldBe(12);
        System.Text.Json.Nodes.JsonNode.Parse("true")!.AsLong().ShouldBeNull();
    }
}
