using Mizzen.Cli.Output;

namespace Mizzen.Cli.Tests.Output;

public sealed class TableRendererTests
{
    [Fact]
    public void Columns_are_aligned_with_upper_case_headers_and_no_trailing_blanks()
    {
        using var writer = new StringWriter();

        TableRenderer.Write(writer, ["name", "status"], [["a", "RUNNING"], ["longer name", null], ["multi\nline", "x"]]);

        writer.ToString().ShouldBe(
            "NAME         STATUS\n" +
            "a            RUNNING\n" +
            "longer name  -\n" +
            "multi line   x\n");
    }

    [Theory]
    [InlineData(450, "450ms")]
    [InlineData(5_000, "5s")]
    [InlineData(65_000, "1m 05s")]
    [InlineData(7_500_000, "2h 05m")]
    public void Durations_read_in_the_largest_useful_unit(long milliseconds, string expected) =>
        Display.Duration(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);
}
