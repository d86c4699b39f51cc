using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Documents;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// API tokens for the CLI and automation: <c>mzn_{id}_{secret}</c>, where the secret is 256 random bits. Only the SHA-256 of the whole
/// token is stored (collection <c>auth-tokens</c>, keyed by id): a stolen database gives no usable token, and since the secret is random a
/// slow password hash would add nothing but per-request cost. Each request reads the document, so a revocation (the document is deleted) or
/// an expiry takes effect at once, on every node.
/// </summary>
public sealed class ApiTokens(IDocumentStore documents, IOptions<AuthOptions> options, MizzenAuth auth, TimeProvider time)
{
    public const string Collection = "auth-tokens";
    public const string Prefix = "mzn_";

    /// <summary>Creates a token for <paramref name="owner"/>; the secret is returned here once and never again.</summary>
    public Task<(TokenInfo Token, string Secret)> CreateAsync(string owner, string name, DateTimeOffset? expiresAt, string scope, CancellationToken cancellationToken) =>
        CreateAsync(owner, name, expiresAt, scope, null, cancellationToken);

    /// <summary>
    /// Creates a token; <paramref name="audit"/>, when given, builds the audit record of the creation, written in the same transaction as
    /// the token (a token never exists without its record).
    /// </summary>
    public async Task<(TokenInfo Token, string Secret)> CreateAsync(
        string owner, string name, DateTimeOffset? expiresAt, string scope, Func<TokenInfo, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var problems = new List<ValidationProblem>();
        name = name.Trim();
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            problems.Add(new ValidationProblem("name", "a token needs a name of 1 to 100 characters (no control characters) that says what uses it"));
        }

        if (scope is not (MizzenAuth.FullScope or MizzenAuth.ReadScope))
        {
            problems.Add(new ValidationProblem("scope", $"scope must be '{MizzenAuth.FullScope}' or '{MizzenAuth.ReadScope}', not '{scope}'"));
        }

        var expires = expiresAt ?? now + options.Value.Tokens.DefaultLifetime;
        if (expires <= now)
        {
            problems.Add(new ValidationProblem("expiresAt", $"expiresAt {expires:O} is not in the future"));
        }
        else if (expires > now + options.Value.Tokens.MaxLifetime)
        {
            problems.Add(new ValidationProblem("expiresAt", $"a token may last at most {options.Value.Tokens.MaxLifetime.TotalDays:0} days (Mizzen:Auth:Tokens:MaxLifetime); expiresAt {expires:O} is later"));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var token = new TokenInfo(id, owner, name, scope, now, expires);
        var record = new StoredToken(token, Hash(secret));
        var body = JsonSerializer.Serialize(record, JsonSerializerOptions.Web);
        await (audit is null
            ? documents.PutAsync(Collection, id, body, owner, cancellationToken)
            : documents.PutAsync(Collection, id, body, owner, _ => audit(token), cancellationToken));
        return (token, secret);
    }

    /// <summary>The tokens of <paramref name="owner"/>, or every user's when it is null (an admin's list); expired ones included, marked.</summary>
    public async Task<IReadOnlyList<TokenInfo>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        var all = await documents.ListAsync(Collection, cancellationToken);
        return [.. all.Select(Read).OfType<StoredToken>().Select(s => s.Token)
            .Where(t => owner is null || string.Equals(t.Owner, owner, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.CreatedAt)];
    }

    /// <summary>Revokes the token at once. Only its owner or an admin may; to anyone else it does not exist (404), so ids cannot be probed.</summary>
    public Task<TokenInfo> RevokeAsync(string id, ClaimsPrincipal caller, CancellationToken cancellationToken) => RevokeAsync(id, caller, null, cancellationToken);

    /// <summary>Revokes the token; <paramref name="audit"/>, when given, builds the audit record, written in the same transaction as the delete.</summary>
    public async Task<TokenInfo> RevokeAsync(string id, ClaimsPrincipal caller, Func<TokenInfo, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        var stored = await documents.GetAsync(Collection, id, revision: null, cancellationToken) is { } document ? Read(document) : null;
        if (stored is null || !(string.Equals(stored.Token.Owner, MizzenAuth.UserName(caller), StringComparison.OrdinalIgnoreCase) || auth.IsAdmin(caller)))
        {
            throw new NotFoundException($"API token '{id}' does not exist");
        }

        await (audit is null
            ? documents.DeleteAsync(Collection, id, cancellationToken)
            : documents.DeleteAsync(Collection, id, () => audit(stored.Token), cancellationToken));
        return stored.Token;
    }

    /// <summary>The token <paramref name="secret"/> names, when it exists, is not expired and its hash matches; otherwise null.</summary>
    public async Task<TokenInfo?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }

        var end = secret.IndexOf('_', Prefix.Length);
        if (end < 0)
        {
            return null;
        }

        var id = secret[Prefix.Length..end];
        if (await documents.GetAsync(Collection, id, revision: null, cancellationToken) is not { } document || Read(document) is not { } stored)
        {
            return null;
        }

        var matches = CryptographicOperations.FixedTimeEquals(Convert.FromHexString(stored.Hash), Convert.FromHexString(Hash(secret)));
        return matches && stored.Token.ExpiresAt > time.GetUtcNow() ? stored.Token : null;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '.');

    private static StoredToken? Read(StoredDocument document) => JsonSerializer.Deserialize<StoredToken>(document.Body, JsonSerializerOptions.Web);

    private sealed record StoredToken(TokenInfo Token, string Hash);
}

/// <summary>What may be shown about an API token: never its secret or hash.</summary>
public sealed record TokenInfo(string Id, string Owner, string Name, string Scope, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
