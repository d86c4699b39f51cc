using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Triggers.Polling;

namespace Mizzen.Triggers.Jenkins;

/// <summary>
/// Jenkins's JSON API, as much as a build poller needs: a job's recent builds (<c>GET /job/{job}/api/json?tree=builds[…]</c>, a job in
/// a folder being <c>folder/job/name</c>) and a build's archived artifact (<c>GET /job/{job}/{number}/artifact/{path}</c>, the property
/// file). Authenticates with HTTP basic (user and API token) on every request, as Jenkins expects of API clients. Errors name the
/// master and job, never the token.
/// </summary>
public sealed class JenkinsClient(HttpClient http, JenkinsMaster master)
{
    /// <summary>What a poll reads of each build: enough for echo's build event and Spinnaker's <c>buildInfo</c> (with git's revision).</summary>
    public const string Tree = "builds[number,result,building,timestamp,duration,url,fullDisplayName,"
        + "artifacts[fileName,displayPath,relativePath],actions[lastBuiltRevision[SHA1,branch[name]],remoteUrls]]";

    /// <summary>Property files larger than this are refused (a property file is a few lines; this is not a download tool).</summary>
    public const int MaxPropertyFileBytes = 1024 * 1024;

    private readonly PollCredentials? credentials = PollCredentials.From(master.Username, master.ApiToken ?? master.Password, master.ApiTokenFile);
    private readonly string root = master.Address.TrimEnd('/');

    /// <summary>The job's recent builds as Jenkins lists them (newest first).</summary>
    public async Task<IReadOnlyList<JsonObject>> BuildsAsync(string job, CancellationToken cancellationToken)
    {
        using var response = await GetAsync($"{JobUrl(job)}/api/json?tree={Uri.EscapeDataString(Tree)}", cancellationToken);
        Ensure(response, job, "reading its builds");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        return [.. (body?["builds"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    /// <summary>An archived artifact's text; null when the build has no such artifact.</summary>
    public async Task<string?> ArtifactAsync(string job, long number, string relativePath, CancellationToken cancellationToken)
    {
        var path = string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));
        using var response = await GetAsync($"{JobUrl(job)}/{number}/artifact/{path}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Ensure(response, job, $"reading artifact '{relativePath}' of build #{number}");
        if (response.Content.Headers.ContentLength > MaxPropertyFileBytes)
        {
            throw new HttpRequestException($"artifact '{relativePath}' of {master.Name} {job} #{number} is larger than {MaxPropertyFileBytes} bytes: not a property file");
        }

        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary><c>{address}/job/a/job/b</c> for the job <c>a/job/b</c>, each name escaped.</summary>
    public string JobUrl(string job) => $"{root}/job/{string.Join('/', job.Trim('/').Split('/').Select(Uri.EscapeDataString))}";

    private Task<HttpResponseMessage> GetAsync(string url, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = credentials?.BasicHeader();
        return http.SendAsync(request, cancellationToken);
    }

    private void Ensure(HttpResponseMessage response, string job, string doing)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var why = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => credentials is null
                ? " (the master needs a username and apiToken)"
                : $" (authentication failed for user '{credentials.Username}': check the master's username and apiToken)",
            HttpStatusCode.NotFound => " (no such job: a job in a folder is written 'folder/job/name')",
            _ => "",
        };
        throw new HttpRequestException($"Jenkins master {master.Name} answered {(int)response.StatusCode} {response.ReasonPhrase} {doing} of job {job}{why}",
            null, response.StatusCode);
    }
}
