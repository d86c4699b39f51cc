using Mizzen.Core.Model;
using Mizzen.Persistence.Documents;

namespace Mizzen.Persistence.Lookups;

/// <summary>
/// Synchronous reads for the expression functions that look at stored data (<c>#pipelineId</c>,
/// <c>#applicationMetadata</c>, <c>#canaryConfigNameToId</c>). Expression evaluation is synchronous and runs on a
/// worker thread outside any transaction, so these reads use the database driver's own synchronous I/O (both
/// Microsoft.Data.Sqlite and Npgsql have it) instead of blocking on a Task. Each backend implements it beside its stores,
/// with the same answers as the asynchronous store methods named on each member.
/// </summary>
public interface IStoreLookupReads
{
    /// <summary>As <c>IPipelineConfigStore.FindByNameAsync(application, name)?.Id</c>: names and applications compared case-insensitively.</summary>
    string? FindPipelineId(string application, string pipelineName);

    /// <summary>As <c>IApplicationStore.GetAsync(name)</c>: the name is compared lower-case.</summary>
    Application? FindApplication(string name);

    /// <summary>As <c>IDocumentStore.ListAsync(collection)</c>: the latest revision of every document, by key (ordinal).</summary>
    IReadOnlyList<StoredDocument> ListDocuments(string collection);
}
