using System.Text;

namespace Mizzen.Server.Tests.Infrastructure;

/// <summary>A text writer that a running CLI writes to while the test reads what it has written so far.</summary>
public sealed class SharedWriter : TextWriter
{
    private readonly Lock gate = new();
    private readonly StringBuilder text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (gate)
        {
            text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (gate)
        {
            text.Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (gate)
        {
            text.Append(buffer, index, count);
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
