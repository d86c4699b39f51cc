using Mizzen.Server.Ui.Components;

namespace Mizzen.Server.Tests.Ui;

/// <summary>The live log view's buffer: chunks that split a line join up, and only the last lines are kept.</summary>
public sealed class LogBufferTests
{
    [Fact]
    public void A_line_split_across_chunks_is_one_line_and_the_oldest_lines_drop_off_first()
    {
        var buffer = new LogBuffer(3);
        buffer.IsEmpty.ShouldBeTrue();

        buffer.Append("one\ntw");
        buffer.Append("o\nthree\n");
        buffer.ToString().ShouldBe("one\ntwo\nthree\n");
        buffer.Dropped.ShouldBe(0);

        buffer.Append("four\nfi");
        buffer.ToString().ShouldBe("three\nfour\nfi"); // the unfinished line counts as one of the three
        buffer.Dropped.ShouldBe(2);
        buffer.Append("ve\n");
        buffer.ToString().ShouldBe("three\nfour\nfive\n");
        buffer.Append("");
        buffer.ToString().ShouldBe("three\nfour\nfive\n");
    }
}
