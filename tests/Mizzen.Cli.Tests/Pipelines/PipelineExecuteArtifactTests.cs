using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;

namespace Mizzen.Cli.Tests.Pipelines;

/// <summary><c>mizzen pipeline execute|run</c> with artifacts: what the trigger body carries, and the flag mistakes caught before sending.</summary>
public sealed class PipelineExecuteArtifactTests : IAsyncLifetime
{
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Artifacts_from_a_file_and_flags_and_expected_artifact_ids_go_in_the_manual_trigger()
    {
        using var files = new TempFiles();
        var artifacts = files.Write("artifacts.json", """[{"type": "embedded/base64", "name": "config", "reference": "e30="}]""");
        gate.On("POST", "/pipelines/shop/deploy", new JsonObject { ["ref"] = "/pipelines/01JEXEC" }, 202);

        var result = await CliRunner.RunAsync(gate, "pipeline", "run", "shop", "deploy", "--artifacts-file", artifacts,
            "--artifact", "type=docker/image,name=gcr.io/p/app,version=1.2,reference=gcr.io/p/app:1.2", "-e", "image", "-e", "config");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("01JEXEC\n");
        var body = JsonNode.Parse(gate.Single("POST", "/pipelines/shop/deploy").Body);
        JsonNode.DeepEquals(body, JsonNode.Parse("""
            {"type":"manual","parameters":{},
             "artifacts":[{"type":"embedded/base64","name":"config","reference":"e30="},
                          {"type":"docker/image","name":"gcr.io/p/app","version":"1.2","reference":"gcr.io/p/app:1.2"}],
             "expectedArtifactIds":["image","config"]}
            """)).ShouldBeTrue(body?.ToJsonString());
    }

    [Theory]
    [InlineData("name=gcr.io/p/app", "mizzen: --artifact name=gcr.io/p/app: an artifact needs a type (type=docker/image, http/file, github/file ...)\n")]
    [InlineData("type=docker/image,tag=1", "mizzen: --artifact type=docker/image,tag=1: unknown field 'tag' (fields: type, name, version, reference, location, artifactAccount, customKind, uuid)\n")]
    [InlineData("type=docker/image,latest", "mizzen: --artifact type=docker/image,latest: write each field as key=value, separated by commas (type=docker/image,name=...,reference=...)\n")]
    public async Task A_malformed_artifact_flag_is_a_usage_error_and_sends_nothing(string flag, string error)
    {
        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "--artifact", flag);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe(error);
        gate.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_artifacts_file_that_is_not_a_list_of_artifacts_is_a_usage_error()
    {
        using var files = new TempFiles();
        var artifacts = files.Write("artifacts.json", """[{"name": "no type"}]""");

        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "--artifacts-file", artifacts);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe($"mizzen: {artifacts}: artifacts[0] must be an artifact object with a type\n");
        gate.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_servers_problem_naming_an_artifact_is_shown()
    {
        gate.Problem("POST", "/pipelines/shop/deploy", 400, "Bad Request", "expectedArtifacts[0]: Unmatched expected artifact 'image' could not be resolved");

        var result = await CliRunner.RunAsync(gate, "pipeline", "execute", "shop", "deploy", "-a", "type=docker/image,name=x", "-e", "image");

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldBe("mizzen: expectedArtifacts[0]: Unmatched expected artifact 'image' could not be resolved\n");
    }
}
