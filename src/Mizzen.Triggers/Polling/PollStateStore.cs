using System.Text.Json;
using System.Text.Json.Serialization;
using Mizzen.Persistence.Documents;

namespace Mizzen.Triggers.Polling;

/// <summary>
/// What a poller last saw of each source it polls (a registry repository's tags, a Jenkins job's last build), kept in the document
/// store so a restarted or newly elected poller carries on where the last one stopped instead of treating everything as new.
/// One document per source: collection per poller (<c>docker-poll</c>, <c>jenkins-poll</c>), key per source.
/// </summary>
public sealed class PollStateStore(IDocumentStore documents)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<T?> GetAsync<T>(string collection, string key, CancellationToken cancellationToken)
        where T : class =>
        await documents.GetAsync(collection, key, null, cancellationToken) is { } stored ? JsonSerializer.Deserialize<T>(stored.Body, Json) : null;

    public Task PutAsync<T>(string collection, string key, T state, string poller, CancellationToken cancellationToken) =>
        documents.PutAsync(collection, key, JsonSerializer.Serialize(state, Json), poller, cancellationToken);

    /// <summary>Every source's state of one poller, for its status.</summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(string collection, CancellationToken cancellationToken) =>
        [.. (await documents.ListAsync(collection, cancellationToken)).Select(d => JsonSerializer.Deserialize<T>(d.Body, Json)!)];
}
