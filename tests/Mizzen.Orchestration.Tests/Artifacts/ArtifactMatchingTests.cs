using System.Text.Json.Nodes;
using Mizzen.Orchestration.Artifacts;

namespace Mizzen.Orchestration.Tests.Artifacts;

public sealed class ArtifactMatchingTests
{
    private static readonly JsonObject Image = new()
    {
        ["type"] = "docker/image",
        ["name"] = "gcr.io/project/app",
        ["version"] = "v1.2.3",
        ["reference"] = "gcr.io/project/app:v1.2.3",
    };

    [Theory]
    [InlineData("""{"type":"docker/image"}""", true)]
    [InlineData("""{"type":"docker/image","name":"gcr.io/project/app"}""", true)]
    [InlineData("""{"type":"docker/image","name":"gcr.io/project/.*"}""", true)]
    [InlineData("""{"type":"docker/image","name":"project"}""", false)] // a regex must match the whole value, not a part (Java's matches())
    [InlineData("""{"type":"docker/image","version":"v1\\.2\\.\\d+"}""", true)]
    [InlineData("""{"type":"docker/image","version":"v2.*"}""", false)]
    [InlineData("""{"type":"docker/image","name":"","version":""}""", true)] // empty fields are ignored
    [InlineData("""{"type":"docker/image","location":"us"}""", false)] // a field the artifact lacks cannot match a set pattern
    [InlineData("""{"type":"github/file","name":"gcr.io/project/app"}""", false)]
    [InlineData("""{}""", true)]
    public void A_match_artifact_compares_type_name_version_location_and_reference(string match, bool expected) =>
        ArtifactMatching.Matches(JsonNode.Parse(match)!.AsObject(), Image).ShouldBe(expected);

    [Fact]
    public void Embedded_and_remote_base64_match_each_other()
    {
        var embedded = new JsonObject { ["type"] = "embedded/base64", ["name"] = "manifest" };
        ArtifactMatching.Matches(new JsonObject { ["type"] = "remote/base64", ["name"] = "manifest" }, embedded).ShouldBeTrue();
        ArtifactMatching.Matches(new JsonObject { ["type"] = "docker/image", ["name"] = "manifest" }, embedded).ShouldBeFalse();
    }

    [Fact]
    public void A_pattern_that_is_not_a_regular_expression_still_matches_by_equality_and_never_throws()
    {
        ArtifactMatching.FieldMatches("app[", "app[").ShouldBeTrue();
        ArtifactMatching.FieldMatches("app[", "app").ShouldBeFalse();
    }

    [Fact]
    public void A_trailing_newline_is_not_swallowed_by_the_anchor() =>
        ArtifactMatching.FieldMatches("v1", "v1\n").ShouldBeFalse();
}
