namespace Mizzen.Server.Tests.Fuzz;

/// <summary>One fuzzed request; <see cref="What"/> says how its body was made (for the failure list).</summary>
internal sealed record FuzzRequest(FuzzRoute Route, string Path, string? Body, byte[]? RawBody, string? ContentType, string What)
{
    public override string ToString()
    {
        var body = Body is null ? RawBody is null ? "no body" : $"{RawBody.Length} random bytes" : Body.Length > 300 ? Body[..300] + $"… ({Body.Length} chars)" : Body;
        var path = Path.Length > 200 ? Path[..200] + "…" : Path;
        return $"{Route.Method} {path} [{ContentType ?? "no content type"}; {What}] {body}";
    }
}
