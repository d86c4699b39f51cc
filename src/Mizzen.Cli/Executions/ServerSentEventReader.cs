using System.Runtime.CompilerServices;
using System.Text;

namespace Mizzen.Cli.Executions;

/// <summary>One server-sent event: its <c>event:</c> name (<c>message</c> when absent) and its <c>data:</c> lines joined.</summary>
internal sealed record ServerSentEvent(string Type, string Data);

/// <summary>Reads the <c>text/event-stream</c> format: <c>field: value</c> lines, events separated by a blank line.</summary>
internal static class ServerSentEventReader
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var type = "";
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new ServerSentEvent(type.Length == 0 ? "message" : type, data.ToString());
                }

                type = "";
                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue; // comment / keep-alive
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
            }
        }

        // A stream cut in the middle of an event loses that event, as the SSE spec says.
    }
}
