using Mizzen.Server.Pipelines;

namespace Mizzen.Server.Tests.Pipelines;

public sealed class LineDiffTests
{
    [Fact]
    public void A_changed_line_prints_the_old_line_with_minus_before_the_new_line_with_plus()
    {
        var diff = LineDiff.Unified("a\nold\nz", "a\nnew\nz", "revision 1", "revision 2");

        diff.ShouldBe("--- revision 1\n+++ revision 2\n@@\n a\n-old\n+new\n z\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal));
    }

    [Fact]
    public void Several_changed_lines_in_a_row_print_all_removals_first_then_all_additions()
    {
        var diff = Body(LineDiff.Unified("a\nb\nc\nd", "a\nB\nC\nd", "1", "2"));

        diff.ShouldBe([" a", "-b", "-c", "+B", "+C", " d"]);
    }

    [Fact]
    public void Lines_only_added_or_only_removed_keep_their_place()
    {
        Body(LineDiff.Unified("a\nb", "a\nx\nb", "1", "2")).ShouldBe([" a", "+x", " b"]);
        Body(LineDiff.Unified("a\nx\nb", "a\nb", "1", "2")).ShouldBe([" a", "-x", " b"]);
    }

    [Fact]
    public void Equal_texts_have_no_hunk()
    {
        Body(LineDiff.Unified("a\nb", "a\nb", "1", "2")).ShouldBeEmpty();
    }

    private static string[] Body(string diff) =>
        [.. diff.Split(Environment.NewLine).Skip(2).Where(l => l.Length > 0 && l != "@@")];
}
