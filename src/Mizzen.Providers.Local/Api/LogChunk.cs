namespace Mizzen.Providers.Local.Api;

public enum LogStream
{
    Stdout,
    Stderr,
}

/// <summary>
/// Log text from <see cref="Offset"/> to <see cref="NextOffset"/>. Offsets count bytes written to the stream since the instance
/// was first launched (rotation does not reset them), so a follower passes <see cref="NextOffset"/> back to continue.
/// </summary>
public sealed record LogChunk(string Text, long Offset, long NextOffset, bool Truncated);
