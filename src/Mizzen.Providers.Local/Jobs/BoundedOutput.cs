using System.Text;

namespace Mizzen.Providers.Local.Jobs;

/// <summary>Collects a job's output lines, keeping only the last <c>maxChars</c> characters.</summary>
internal sealed class BoundedOutput(int maxChars)
{
    private readonly Lock gate = new();
    private readonly StringBuilder text = new();

    public void AppendLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            text.Append(line).Append('\n');
            if (text.Length > maxChars)
            {
                text.Remove(0, text.Length - maxChars);
            }
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            return text.ToString();
        }
    }
}
