using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Triggers.Jenkins;

namespace Mizzen.Triggers.Tests.Jenkins;

/// <summary>What pipeline validation says of a jenkins trigger, and how property files are read.</summary>
public sealed class JenkinsValidationTests
{
    private static List<ValidationProblem> Check(string trigger)
    {
        var options = new JenkinsTriggerOptions();
        options.Masters.Add(new JenkinsMaster { Name = "ci", Address = "https://ci.example.com" });
        var problems = new List<ValidationProblem>();
        new JenkinsTriggerType(Options.Create(options)).Check(JsonNode.Parse(trigger)!.AsObject(), "triggers[0]", problems);
        return problems;
    }

    [Fact]
    public void A_complete_trigger_has_no_problems() =>
        Check("""{"type":"jenkins","master":"ci","job":"folder/job/app","propertyFile":"build.properties"}""").ShouldBeEmpty();

    [Fact]
    public void An_unknown_master_and_a_missing_job_are_errors_at_their_fields()
    {
        var problems = Check("""{"type":"jenkins","master":"other"}""");
        problems.Select(p => p.Location).ShouldBe(["triggers[0].master", "triggers[0].job"]);
        problems[0].Message.ShouldContain("unknown Jenkins master 'other' (configured: ci)");
    }

    [Fact]
    public void Java_properties_read_separators_comments_continuations_and_escapes()
    {
        var properties = PropertyFile.Parse("x.properties", "! comment\n# comment\na=1\nb : two\nc three\nd=x\\\n   y\ne=tab\\there\nf=\\u0041\nkey\\=with=eq\n");
        properties["a"]!.GetValue<string>().ShouldBe("1");
        properties["b"]!.GetValue<string>().ShouldBe("two");
        properties["c"]!.GetValue<string>().ShouldBe("three");
        properties["d"]!.GetValue<string>().ShouldBe("xy");
        properties["e"]!.GetValue<string>().ShouldBe("tab\there");
        properties["f"]!.GetValue<string>().ShouldBe("A");
        properties["key=with"]!.GetValue<string>().ShouldBe("eq");
    }

    [Fact]
    public void A_json_property_file_must_be_an_object() =>
        Should.Throw<FormatException>(() => PropertyFile.Parse("out.json", "[1,2]")).Message.ShouldContain("'out.json'");

    [Fact]
    public void A_yaml_property_file_nested_thousands_deep_is_refused_instead_of_overflowing_the_stack()
    {
        var deep = "a: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        Should.Throw<FormatException>(() => PropertyFile.Parse("build.yml", deep)).Message.ShouldContain("nested more than 64 levels");
        PropertyFile.Parse("build.yml", "a: [[1, 2], {b: [3]}]\n")["a"]![1]!["b"]![0]!.GetValue<long>().ShouldBe(3);
    }
}
