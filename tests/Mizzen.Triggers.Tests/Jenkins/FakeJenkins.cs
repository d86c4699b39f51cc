using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Triggers.Tests.Jenkins;

/// <summary>
/// A fake Jenkins on 127.0.0.1 answering what Jenkins's documented JSON API answers a build poller: <c>GET /job/{job}/api/json</c>
/// (a job in a folder is <c>/job/folder/job/name</c>) with the job's <c>builds</c>, newest first, each with number, result (null while
/// building), building, timestamp, duration, url, artifacts and a git <c>BuildData</c> action; and <c>GET /job/{job}/{n}/artifact/{path}</c>
/// with an archived file. Every request must carry HTTP basic auth with the configured user and API token, else 401 as Jenkins does.
/// </summary>
public sealed class FakeJenkins : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<FakeBuild>> jobs = new(StringComparer.Ordinal);
    private readonly string expectedAuthorization;
    private WebApplication app = null!;

    private FakeJenkins(string user, string token) =>
        expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{token}"));

    public string Address { get; private set; } = "";

    /// <summary>Requests answered 401, for the authentication tests.</summary>
    public int Refused { get; private set; }

    public static async Task<FakeJenkins> StartAsync(string user, string token)
    {
        var jenkins = new FakeJenkins(user, token);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        jenkins.app = builder.Build();
        jenkins.app.Map("/job/{**path}", jenkins.HandleAsync);
        await jenkins.app.StartAsync();
        jenkins.Address = jenkins.app.Urls.First().TrimEnd('/');
        return jenkins;
    }

    /// <summary>Adds a build of <paramref name="job"/> (<c>folder/job/name</c> for a job in a folder).</summary>
    public FakeBuild AddBuild(string job, string? result, bool building = false, Dictionary<string, string>? artifacts = null)
    {
        var builds = jobs.GetOrAdd(job, _ => []);
        lock (builds)
        {
            var build = new FakeBuild { Number = builds.Count + 1, Result = result, Building = building, Artifacts = artifacts ?? [] };
            builds.Add(build);
            return build;
        }
    }

    private async Task HandleAsync(HttpContext context, string path)
    {
        if (context.Request.Headers.Authorization.ToString() != expectedAuthorization)
        {
            Refused++;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Jenkins\"";
            await context.Response.WriteAsync("<html>Unauthorized</html>");
            return;
        }

        if (path.EndsWith("/api/json", StringComparison.Ordinal))
        {
            var job = path[..^"/api/json".Length];
            if (!jobs.TryGetValue(job, out var builds))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            List<FakeBuild> snapshot;
            lock (builds)
            {
                snapshot = [.. builds];
            }

            var body = new JsonObject
            {
                ["_class"] = "hudson.model.FreeStyleProject",
                ["builds"] = new JsonArray([.. snapshot.AsEnumerable().Reverse().Select(b => (JsonNode)b.ToJson($"{Address}/job/{job}/"))]),
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString());
            return;
        }

        var artifactAt = path.IndexOf("/artifact/", StringComparison.Ordinal);
        if (artifactAt > 0)
        {
            var jobAndNumber = path[..artifactAt];
            var slash = jobAndNumber.LastIndexOf('/');
            var relative = path[(artifactAt + "/artifact/".Length)..];
            if (jobs.TryGetValue(jobAndNumber[..slash], out var builds) && int.TryParse(jobAndNumber[(slash + 1)..], out var number)
                && builds.ElementAtOrDefault(number - 1) is { } build && build.Artifacts.TryGetValue(relative, out var content))
            {
                context.Response.ContentType = "application/octet-stream";
                await context.Response.WriteAsync(content);
                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One build of a <see cref="FakeJenkins"/> job; change <see cref="Building"/> and <see cref="Result"/> to finish it.</summary>
public sealed class FakeBuild
{
    public int Number { get; init; }

    public string? Result { get; set; }

    public bool Building { get; set; }

    /// <summary>Archived files by relative path.</summary>
    public Dictionary<string, string> Artifacts { get; init; } = [];

    public JsonObject ToJson(string jobUrl) => new()
    {
        ["_class"] = "hudson.model.FreeStyleBuild",
        ["number"] = Number,
        ["result"] = Building ? null : Result,
        ["building"] = Building,
        ["timestamp"] = 1_790_000_000_000L + Number,
        ["duration"] = Building ? 0 : 61_000,
        ["fullDisplayName"] = $"job #{Number}",
        ["url"] = $"{jobUrl}{Number}/",
        ["artifacts"] = new JsonArray([.. Artifacts.Keys.Select(p => (JsonNode)new JsonObject
        {
            ["displayPath"] = Path.GetFileName(p),
            ["fileName"] = Path.GetFileName(p),
            ["relativePath"] = p,
        })]),
        ["actions"] = new JsonArray(
            new JsonObject { ["_class"] = "hudson.model.CauseAction" },
            new JsonObject
            {
                ["_class"] = "hudson.plugins.git.util.BuildData",
                ["lastBuiltRevision"] = new JsonObject
                {
                    ["SHA1"] = $"{Number:D4}aaaabbbbccccddddeeeeffff0000111122223333"[..40],
                    ["branch"] = new JsonArray(new JsonObject { ["SHA1"] = "x", ["name"] = "origin/main" }),
                },
                ["remoteUrls"] = new JsonArray("https://git.example.com/shop/app.git"),
            }),
    };
}
