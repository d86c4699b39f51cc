namespace Mizzen.Cli.Tests.Fakes;

/// <summary>One request the fake server received: <see cref="Target"/> is the path with its query string.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Target => Path + Query;

    public override string ToString() => $"{Method} {Target}";
}
