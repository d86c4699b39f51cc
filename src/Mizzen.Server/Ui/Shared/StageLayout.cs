using Mizzen.Core.Model;

namespace Mizzen.Server.Ui.Shared;

/// <summary>
/// Where each top-level stage of a run sits in its graph: the column is the longest chain of requisites before it (so parallel
/// branches share a column), the row its place among the stages of that column. Synthetic stages belong to their parent's box.
/// </summary>
public static class StageLayout
{
    public sealed record Node(StageExecution Stage, int Column, int Row);

    public static IReadOnlyList<Node> Compute(PipelineExecution execution)
    {
        var top = execution.TopLevelStages().ToList();
        var byRef = top.Where(s => s.RefId is not null).GroupBy(s => s.RefId!).ToDictionary(g => g.Key, g => g.First());
        var columns = new Dictionary<string, int>();

        int ColumnOf(StageExecution stage, HashSet<string> visiting)
        {
            if (columns.TryGetValue(stage.Id, out var known))
            {
                return known;
            }

            var column = 0;
            if (visiting.Add(stage.Id))
            {
                foreach (var requisite in stage.RequisiteStageRefIds)
                {
                    if (byRef.TryGetValue(requisite, out var upstream))
                    {
                        column = Math.Max(column, ColumnOf(upstream, visiting) + 1);
                    }
                }

                visiting.Remove(stage.Id);
            }

            columns[stage.Id] = column;
            return column;
        }

        var rows = new Dictionary<int, int>();
        var nodes = new List<Node>();
        foreach (var stage in top)
        {
            var column = ColumnOf(stage, []);
            var row = rows.GetValueOrDefault(column);
            rows[column] = row + 1;
            nodes.Add(new Node(stage, column, row));
        }

        return nodes;
    }

    /// <summary>Top-level stages in graph order: by column, then row.</summary>
    public static IEnumerable<StageExecution> Ordered(PipelineExecution execution) =>
        Compute(execution).OrderBy(n => n.Column).ThenBy(n => n.Row).Select(n => n.Stage);
}
