namespace Mizzen.Cli.Tests.Pipelines;

/// <summary>
/// A HELM bake offline: <c>pipeline validate</c> cannot see whether the server has a helm binary configured
/// (<c>Mizzen:Kubernetes:Helm:Path</c>), so it warns instead of refusing; the server's own validation still refuses while it is unset.
/// </summary>
public sealed class PipelineValidateHelmTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData("HELM3")]
    [InlineData("HELM2")]
    public async Task A_helm_bake_is_a_warning_offline_and_the_pipeline_is_valid(string renderer)
    {
        var file = files.Write("helm.json", $$"""
            {"application": "shop", "name": "bake", "stages": [
              {"refId": "1", "type": "bakeManifest", "name": "Bake", "templateRenderer": "{{renderer}}", "outputName": "web",
               "inputArtifacts": [{"artifact": {"type": "git/repo", "reference": "https://git.example.com/charts.git"} }],
               "expectedArtifacts": [{"id": "baked", "matchArtifact": {"type": "embedded/base64", "name": "web"} }]}
            ]}
            """);

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            $"warning: stages[0].templateRenderer: templateRenderer {renderer} needs a helm binary on the server (Mizzen:Kubernetes:Helm:Path), which offline validation cannot see: the server refuses this pipeline while it is unset",
            "valid, with 1 warning",
        ]);
    }

    [Fact]
    public async Task Other_bake_problems_are_still_errors_offline()
    {
        var file = files.Write("helm-bad.json", """
            {"application": "shop", "name": "bake", "stages": [
              {"refId": "1", "type": "bakeManifest", "name": "Bake", "templateRenderer": "HELM3", "outputName": "web"}
            ]}
            """);

        var result = await CliRunner.RunOfflineAsync("pipeline", "validate", "-f", file, "-o", "json");

        result.ExitCode.ShouldBe(1, result.ToString());
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        json["errors"]!.AsArray().Select(e => e!["location"]!.GetValue<string>()).ShouldBe(["stages[0].inputArtifact"]);
        json["warnings"]!.AsArray().Select(w => w!["location"]!.GetValue<string>()).ShouldBe(["stages[0].templateRenderer"]);
    }
}
