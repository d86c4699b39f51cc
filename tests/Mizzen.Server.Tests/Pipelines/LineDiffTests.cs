using Mizzen.Server.Pipelines;

namespace Mizzen.Server.Tests.Pipelines;

public sealed class LineDiffTests
{
    [Fact]
    public void A_changed_line_prints_the_old_line_with_minus_before_the_new_line_with_plus()
    {
        var diff = LineDiff.Unified("a\nold\nz", "a\nnew\nz", "revision 1", "revision 2");

        diff.ShouldBe("--- revision 1\n+++ revision 2\n@@ -1,3 +1,3 @@\n a\n-old\n+new\n z\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal));
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
    public void Hunk_headers_give_where_each_hunk_starts_and_how_many_lines_it_spans_in_each_text()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 2\n", "", StringComparison.Ordinal).Replace("line 15", "line fifteen", StringComparison.Ordinal) + "\nline 21";

        var headers = LineDiff.Unified(before, after, "1", "2").Split(Environment.NewLine).Where(l => l.StartsWith("@@", StringComparison.Ordinal));

        headers.ShouldBe(["@@ -1,5 +1,4 @@", "@@ -12,9 +11,10 @@"]);
    }

    [Fact]
    public void Equal_texts_have_no_hunk()
    {
        Body(LineDiff.Unified("a\nb", "a\nb", "1", "2")).ShouldBeEmpty();
    }

    private static string[] Body(string diff) =>
        [.. diff.Split(Environment.NewLine).Skip(2).Where(l => l.Length > 0 && !l.StartsWith("@@", StringComparison.Ordinal))];
}
