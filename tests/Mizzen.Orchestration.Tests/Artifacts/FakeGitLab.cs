using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>
/// A FAKE of GitLab's repository files API, as documented: <c>GET /api/v4/projects/{id}/repository/files/{url-encoded path}/raw?ref=REF</c>
/// answers the raw file; the <c>PRIVATE-TOKEN</c> header is required (401 <c>{"message":"401 Unauthorized"}</c>); an unknown file or
/// ref is 404 <c>{"message":"404 File Not Found"}</c>.
/// </summary>
public sealed class FakeGitLab : IAsyncDisposable
{
    private readonly Dictionary<(string Project, string Path, string Ref), string> files = new();

    private LoopbackHttpServer server = null!;

    public string Token { get; } = "glpat-fake" + Guid.NewGuid().ToString("N");

    public string BaseUrl => server.BaseUrl;

    public static async Task<FakeGitLab> StartAsync()
    {
        var fake = new FakeGitLab();
        fake.server = await LoopbackHttpServer.StartAsync(app => app.MapGet("/api/v4/projects/{project}/repository/files/{file}/raw", fake.Raw));
        return fake;
    }

    public void AddFile(string project, string path, string reference, string content) => files[(project, path, reference)] = content;

    private IResult Raw(string project, string file, HttpContext http)
    {
        if (http.Request.Headers["PRIVATE-TOKEN"].ToString() != Token)
        {
            return Results.Json(new { message = "401 Unauthorized" }, statusCode: 401);
        }

        var reference = http.Request.Query["ref"].ToString();
        if (reference.Length == 0)
        {
            return Results.Json(new { error = "ref is missing" }, statusCode: 400);
        }

        return files.TryGetValue((Uri.UnescapeDataString(project), Uri.UnescapeDataString(file), reference), out var content)
            ? Results.Text(content, "text/plain")
            : Results.Json(new { message = "404 File Not Found" }, statusCode: 404);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
