using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Shouldly;

namespace Mizzen.Core.Tests.Json;

public sealed class JsonInputTests
{
    [Fact]
    public void A_repeated_key_takes_its_last_value_and_is_reported_with_its_line_and_path()
    {
        var result = JsonInput.Parse("""
            {
              "stages": [
                {"name": "b",
                 "name": "c"}
              ],
              "keepWaitingPipelines": false,
              "keepWaitingPipelines": true
            }
            """);

        var root = result.Root.ShouldBeOfType<JsonObject>();
        root["stages"]![0]!["name"]!.GetValue<string>().ShouldBe("c");
        root["keepWaitingPipelines"]!.GetValue<bool>().ShouldBeTrue();
        result.Warnings.Select(w => w.ToString()).ShouldBe([
            "warning: line 4, column 6: duplicate key 'name' at stages[0].name (first on line 3): the last value is used, as Spinnaker does",
            "warning: line 7, column 3: duplicate key 'keepWaitingPipelines' at keepWaitingPipelines (first on line 6): the last value is used, as Spinnaker does",
        ]);
        result.Warnings.ShouldAllBe(w => w.Severity == ValidationSeverity.Warning);
    }

    [Fact]
    public void Broken_json_is_one_1_based_position_with_the_line_and_a_caret()
    {
        var error = Should.Throw<ValidationException>(() => JsonInput.Parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));

        var problem = error.Problems.ShouldHaveSingleItem();
        problem.Location.ShouldBe("line 3, column 7");
        problem.Message.ShouldStartWith("not valid JSON: ");
        problem.Message.ShouldNotContain("LineNumber");
        problem.Message.ShouldEndWith("  3 |   \"b\" 2\n    |       ^");
    }

    [Fact]
    public void Truncated_json_points_at_the_end()
    {
        var error = Should.Throw<ValidationException>(() => JsonInput.Parse("{\"stages\": [ {\"type\": \"wait\""));

        error.Problems.ShouldHaveSingleItem().Location.ShouldStartWith("line 1, column ");
    }

    [Theory]
    [InlineData("{\"name\": \"\\ud800\"}")]
    [InlineData("{\"\\udc00x\": 1}")]
    [InlineData("[\"ok\", \"\\ud800\\u0041\"]")]
    public void A_lone_surrogate_escape_is_a_validation_error_not_a_crash(string json)
    {
        var error = Should.Throw<ValidationException>(() => JsonInput.Parse(json));

        error.Problems.ShouldHaveSingleItem().Message.ShouldContain("lone surrogate");
    }

    [Theory]
    [InlineData("1e309")]
    [InlineData("-1e309")]
    [InlineData("123456789e400")]
    public void A_number_no_double_can_hold_is_a_validation_error(string number)
    {
        var error = Should.Throw<ValidationException>(() => JsonInput.Parse($"{{\"waitTime\": {number}}}"));

        error.Problems.ShouldHaveSingleItem().Message.ShouldContain($"the number {number} is too large");
    }

    [Fact]
    public void Numbers_keep_what_was_written_and_read_as_any_numeric_type()
    {
        var root = JsonInput.Parse("""{"a": 1.0, "b": 12345678901234567890123, "c": 7}""").Root!;

        root["a"]!.ToJsonString().ShouldBe("1.0");
        root["b"]!.ToJsonString().ShouldBe("12345678901234567890123");
        root["c"]!.GetValue<int>().ShouldBe(7);
        root["c"]!.GetValue<long>().ShouldBe(7L);
        root["c"]!.GetValue<double>().ShouldBe(7d);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_a_validation_error()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);

        Should.Throw<ValidationException>(() => JsonInput.Parse(deep)).Problems.ShouldHaveSingleItem().Location.ShouldBe($"line 1, column {JsonInput.MaxDepth + 1}");
    }

    [Fact]
    public void Whatever_is_read_can_be_written_again()
    {
        var deepest = new string('[', JsonInput.MaxDepth) + new string(']', JsonInput.MaxDepth);

        var root = JsonInput.Parse(deepest).Root!;

        JsonSerializer.Serialize(root, MizzenJson.Options).ShouldBe(deepest);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_accepted_as_before()
    {
        var root = JsonInput.Parse("{\n // a comment\n \"a\": [1, 2,],\n}").Root!;

        root["a"]!.AsArray().Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("{} {}", "'{' is invalid after a single JSON value")]
    public void Empty_or_trailing_input_says_what_is_wrong(string json, string expected)
    {
        var message = Should.Throw<ValidationException>(() => JsonInput.Parse(json)).Message;
        message.ShouldContain(expected, Case.Insensitive, message);
    }

    [Fact]
    public void An_object_is_required_where_one_is_asked_for()
    {
        Should.Throw<ValidationException>(() => JsonInput.ParseObject("[1]", "the request body")).Message.ShouldBe("the request body must be a JSON object, not an array");
    }

    [Fact]
    public void A_long_minified_line_shows_the_text_around_the_error()
    {
        var json = "{\"x\": \"" + new string('a', 500) + "\", oops}";

        var message = Should.Throw<ValidationException>(() => JsonInput.Parse(json)).Problems.Single().Message;

        var lines = message.Split('\n');
        lines[1].Length.ShouldBeLessThan(120);
        lines[2].IndexOf('^').ShouldBe(lines[1].IndexOf("oops", StringComparison.Ordinal));
    }
}
