using Mizzen.Cli.Executions;

namespace Mizzen.Cli.Tests.Executions;

public sealed class ServerSentEventReaderTests
{
    [Fact]
    public async Task Events_are_split_on_blank_lines_with_multi_line_data_joined_and_comments_ignored()
    {
        const string stream = ": keep-alive\n\nevent: execution\ndata: {\"a\":\ndata:1}\n\ndata:plain\r\n\r\nevent: execution\ndata: cut";

        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEventReader.ReadAsync(new StringReader(stream), CancellationToken.None))
        {
            events.Add(e);
        }

        events.ShouldBe([new ServerSentEvent("execution", "{\"a\":\n1}"), new ServerSentEvent("message", "plain")]);
    }
}
