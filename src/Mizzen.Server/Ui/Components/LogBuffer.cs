using System.Text;

namespace Mizzen.Server.Ui.Components;

/// <summary>
/// The text a live log view holds: the last <see cref="MaxLines"/> lines of what was appended, oldest dropped first, so a page left
/// open on a chatty instance stays small. A chunk may end inside a line; the next chunk continues it.
/// </summary>
public sealed class LogBuffer(int maxLines)
{
    private readonly Queue<string> lines = new();
    private string partial = "";

    public int MaxLines { get; } = Math.Max(1, maxLines);

    /// <summary>Lines dropped from the top since the buffer was filled.</summary>
    public long Dropped { get; private set; }

    public bool IsEmpty => lines.Count == 0 && partial.Length == 0;

    public void Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return;
        }

        var parts = (partial + text).Split('\n');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            lines.Enqueue(parts[i]);
        }

        partial = parts[^1];
        while (lines.Count + (partial.Length > 0 ? 1 : 0) > MaxLines)
        {
            lines.Dequeue();
            Dropped++;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.Append(partial).ToString();
    }
}
