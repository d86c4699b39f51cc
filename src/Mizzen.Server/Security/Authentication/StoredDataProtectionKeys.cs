using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Mizzen.Persistence.Documents;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// The keys that sign session cookies and antiforgery tokens, kept in the document store (collection <c>data-protection-keys</c>) so that a
/// session survives a restart and is valid on every node sharing the database. The framework's interface is synchronous; it reads the keys
/// once at start and again about once a day, so blocking on the store here is rare.
/// </summary>
public sealed class StoredDataProtectionKeys(IDocumentStore documents) : IXmlRepository
{
    public const string Collection = "data-protection-keys";

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. documents.ListAsync(Collection, CancellationToken.None).GetAwaiter().GetResult().Select(d => XElement.Parse(d.Body))];

    public void StoreElement(XElement element, string friendlyName) =>
        documents.PutAsync(Collection, friendlyName, element.ToString(SaveOptions.DisableFormatting), "mizzen", CancellationToken.None).GetAwaiter().GetResult();
}
