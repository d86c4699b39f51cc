using Mizzen.Canary.Configs;
using Mizzen.Persistence.Documents;

namespace Mizzen.Canary.Storage;

/// <summary>
/// How a canary config is kept in the document store: collection <c>canary-config:{application}</c>, key the config id,
/// one document revision per config revision (who saved it and when are the revision's), body the config's JSON.
/// </summary>
internal static class CanaryConfigDocuments
{
    public const string CollectionPrefix = "canary-config:";

    public static string Collection(string application) => CollectionPrefix + application;

    public static string Body(CanaryConfig config) => CanaryConfigJson.Serialize(config);

    public static StoredCanaryConfig Read(StoredDocument document)
    {
        var config = CanaryConfigJson.Parse(document.Body);
        config.Id = document.Key;
        return new StoredCanaryConfig(document.Collection[CollectionPrefix.Length..], document.Key, document.Revision, config, document.SavedBy, document.SavedAt);
    }
}
