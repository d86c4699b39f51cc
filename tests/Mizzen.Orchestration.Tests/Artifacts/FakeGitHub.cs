using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>
/// A FAKE of GitHub's contents API, as documented: <c>GET /repos/{owner}/{repo}/contents/{path}?ref=REF</c> with
/// <c>Accept: application/vnd.github.v3.raw</c> answers the raw file; <c>Authorization: token T</c> is required for private repos
/// (401 <c>Bad credentials</c> when wrong or missing); an unknown path or ref is 404 <c>Not Found</c>; <c>ref</c> defaults to the
/// default branch.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    private readonly Dictionary<(string Repo, string Path, string Ref), string> files = new();

    private LoopbackHttpServer server = null!;

    public string Token { get; } = "ghp_fake_" + Guid.NewGuid().ToString("N");

    public string ApiUrl => server.BaseUrl;

    public LoopbackHttpServer Server => server;

    public static async Task<FakeGitHub> StartAsync()
    {
        var fake = new FakeGitHub();
        fake.server = await LoopbackHttpServer.StartAsync(app => app.MapGet("/repos/{owner}/{repo}/contents/{**path}", fake.Contents));
        return fake;
    }

    public void AddFile(string repo, string path, string reference, string content) => files[(repo, path, reference)] = content;

    private IResult Contents(string owner, string repo, string path, HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != "token " + Token)
        {
            return Results.Json(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);
        }

        var reference = http.Request.Query["ref"].ToString() is { Length: > 0 } r ? r : "main";
        if (!files.TryGetValue(($"{owner}/{repo}", path, reference), out var content))
        {
            return Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest/repos/contents" }, statusCode: 404);
        }

        return http.Request.Headers.Accept.ToString().Contains("application/vnd.github.v3.raw", StringComparison.Ordinal)
            ? Results.Text(content, "application/vnd.github.v3.raw")
            : Results.Json(new { type = "file", encoding = "base64", content = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(content)), path });
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
