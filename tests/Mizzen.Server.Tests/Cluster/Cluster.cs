using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Testing.Postgres;

namespace Mizzen.Server.Tests.Cluster;

/// <summary>Three (or more) <see cref="ClusterNode"/>s on one fresh PostgreSQL database, and the API calls the cluster tests make.</summary>
public sealed class Cluster : IDisposable
{
    /// <summary>Short enough that a takeover is quick; long enough that a loaded machine's heartbeat keeps it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private Cluster(IReadOnlyList<ClusterNode> nodes) => Nodes = nodes;

    public IReadOnlyList<ClusterNode> Nodes { get; }

    public IEnumerable<ClusterNode> Alive => Nodes.Where(n => n.KilledAt is null);

    /// <summary>Starts the nodes together (so they also race to migrate the new database) with a short lease and a 2 s retention interval.</summary>
    public static async Task<Cluster> StartAsync(int count)
    {
        var database = await TestPostgres.CreateDatabaseAsync("cluster");
        var settings = new Dictionary<string, string>
        {
            ["Mizzen:Engine:Lease"] = Lease.ToString("c"),
            ["Mizzen:Retention:Interval"] = "00:00:02",
        };
        var starting = Enumerable.Range(0, count).Select(i => ClusterNode.StartAsync($"node-{(char)('a' + i)}", database, settings)).ToList();
        try
        {
            return new Cluster(await Task.WhenAll(starting));
        }
        catch
        {
            foreach (var start in starting.Where(s => s.IsCompletedSuccessfully))
            {
                start.Result.Dispose();
            }

            throw;
        }
    }

    public static async Task CreatePipelineAsync(ClusterNode node, string application, string pipeline)
    {
        (await node.Http.PostAsJsonAsync("/applications", new { name = application })).EnsureSuccessStatusCode();
        (await node.Http.PostAsync(new Uri("/pipelines", UriKind.Relative), Json(pipeline))).EnsureSuccessStatusCode();
    }

    public static async Task<string> StartRunAsync(ClusterNode node, string application, string pipeline)
    {
        using var response = await node.Http.PostAsync(new Uri($"/pipelines/{application}/{pipeline}", UriKind.Relative), Json("{}"));
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }

    public static async Task<JsonArray> ListAsync(ClusterNode node, string application) =>
        (await node.Http.GetFromJsonAsync<JsonArray>(new Uri($"/applications/{application}/pipelines?limit=1000", UriKind.Relative)))!;

    public static async Task<JsonObject> GetAsync(ClusterNode node, string id) =>
        (await node.Http.GetFromJsonAsync<JsonObject>(new Uri($"/pipelines/{id}", UriKind.Relative)))!;

    /// <summary>Approves a waiting judgment; true when this call or an earlier one decided it (409: already judged).</summary>
    public static async Task<bool> ApproveAsync(ClusterNode node, string id, string stageId)
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/pipelines/{id}/stages/{stageId}", UriKind.Relative))
        {
            Content = Json(new JsonObject { ["judgmentStatus"] = "continue" }.ToJsonString()),
        };
        patch.Headers.Add("X-Mizzen-User", "judge");
        using var response = await node.Http.SendAsync(patch);
        return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict;
    }

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
