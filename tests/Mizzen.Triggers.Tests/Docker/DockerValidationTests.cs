using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Triggers.Docker;

namespace Mizzen.Triggers.Tests.Docker;

/// <summary>What pipeline validation says of a docker trigger's fields.</summary>
public sealed class DockerValidationTests
{
    private static List<ValidationProblem> Check(string trigger, params DockerRegistryAccount[] accounts)
    {
        var options = new DockerTriggerOptions();
        options.Accounts.AddRange(accounts);
        var problems = new List<ValidationProblem>();
        new DockerTriggerType(Options.Create(options)).Check(JsonNode.Parse(trigger)!.AsObject(), "triggers[1]", problems);
        return problems;
    }

    private static readonly DockerRegistryAccount Hub = new() { Name = "hub", Address = "https://registry.example.com" };

    [Fact]
    public void A_complete_trigger_has_no_problems() =>
        Check("""{"type":"docker","account":"hub","repository":"team/app","tag":"v[0-9]+"}""", Hub).ShouldBeEmpty();

    [Fact]
    public void An_unknown_account_is_an_error_naming_the_configured_ones()
    {
        var problem = Check("""{"type":"docker","account":"gcr","repository":"team/app"}""", Hub).ShouldHaveSingleItem();
        problem.Location.ShouldBe("triggers[1].account");
        problem.Message.ShouldContain("unknown docker registry account 'gcr'");
        problem.Message.ShouldContain("hub");
    }

    [Fact]
    public void Without_any_configured_account_an_account_is_only_a_warning() =>
        Check("""{"type":"docker","account":"hub","repository":"team/app"}""").ShouldHaveSingleItem().IsError.ShouldBeFalse();

    [Fact]
    public void A_missing_repository_and_an_invalid_tag_pattern_are_errors_at_their_fields()
    {
        var problems = Check("""{"type":"docker","account":"hub","tag":"v[0-9"}""", Hub);
        problems.Select(p => p.Location).ShouldBe(["triggers[1].repository", "triggers[1].tag"]);
        problems.ShouldAllBe(p => p.IsError);
        problems[1].Message.ShouldContain("not a regular expression");
    }

    [Fact]
    public void A_repository_outside_the_account_list_is_an_error()
    {
        var limited = new DockerRegistryAccount { Name = "hub", Address = "https://registry.example.com", Repositories = ["team/app"] };
        Check("""{"type":"docker","account":"hub","repository":"team/web"}""", limited).ShouldHaveSingleItem().Location.ShouldBe("triggers[1].repository");
    }

    [Theory]
    [InlineData("", "v1", true)]
    [InlineData("", "latest", false)]
    [InlineData("v[0-9]+", "v12", true)]
    [InlineData("v[0-9]+", "v12-rc", false)]
    [InlineData("latest", "latest", true)]
    public void Tag_patterns_match_the_whole_tag_and_an_empty_one_any_but_latest(string pattern, string tag, bool matches) =>
        DockerTriggerType.TagMatches(pattern, tag).ShouldBe(matches);

    [Fact]
    public void A_bearer_challenge_is_read_with_quoted_commas()
    {
        var parameters = DockerRegistryClient.ChallengeParameters("realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/app:pull,push\"");
        parameters["realm"].ShouldBe("https://auth.example.com/token");
        parameters["service"].ShouldBe("registry.example.com");
        parameters["scope"].ShouldBe("repository:team/app:pull,push");
    }
}
