using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using Mizzen.Core.Errors;
using Mizzen.Server.Audit;
using Mizzen.Server.Errors;

namespace Mizzen.Server.Security.Authentication;

/// <summary>Gate's <c>/auth/user</c> and the API token routes.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/auth").WithTags("Authentication");
        group.MapGet("/user", (HttpContext http, MizzenAuth auth) => TypedResults.Ok(new CurrentUser(
            http.User(),
            MizzenAuth.Roles(http.User),
            http.User.Identity?.IsAuthenticated == true,
            !auth.Enabled || auth.IsAdmin(http.User))));

        group.MapPost("/tokens", async (HttpContext http, MizzenAuth auth, ApiTokens tokens, IAuditLog audit, CancellationToken ct) =>
        {
            RequireChange(http, auth, "create an API token");
            var body = await RequestBody.ReadObjectAsync(http.Request, ct);
            var caller = MizzenAuth.UserName(http.User);
            var owner = Text(body, "owner") ?? caller;
            if (!string.Equals(owner, caller, StringComparison.OrdinalIgnoreCase) && !auth.IsAdmin(http.User))
            {
                throw new ForbiddenException($"only an admin may create a token for another user ('{owner}')");
            }

            var (token, secret) = await tokens.CreateAsync(owner, Text(body, "name") ?? "", ExpiresAt(body), Text(body, "scope") ?? MizzenAuth.FullScope,
                created => audit.Stamp(TokenCreated(created, caller)), ct);
            audit.MarkRecorded(); // the record was written with the token
            return TypedResults.Created($"/auth/tokens/{token.Id}", new CreatedToken(token, secret));
        });

        group.MapGet("/tokens", async (HttpContext http, MizzenAuth auth, ApiTokens tokens, string? owner, bool? all, CancellationToken ct) =>
        {
            RequireOn(auth);
            var caller = MizzenAuth.UserName(http.User);
            if ((all == true || (owner is not null && !string.Equals(owner, caller, StringComparison.OrdinalIgnoreCase))) && !auth.IsAdmin(http.User))
            {
                throw new ForbiddenException("only an admin may list other users' tokens");
            }

            return TypedResults.Ok(await tokens.ListAsync(all == true ? null : owner ?? caller, ct));
        });

        group.MapDelete("/tokens/{id}", async (string id, HttpContext http, MizzenAuth auth, ApiTokens tokens, IAuditLog audit, CancellationToken ct) =>
        {
            RequireChange(http, auth, "revoke an API token");
            await tokens.RevokeAsync(id, http.User,
                revoked => audit.Stamp(new AuditEntry("token.revoked", $"token:{revoked.Id}", Before: JsonSerializer.Serialize(revoked, JsonSerializerOptions.Web))), ct);
            audit.MarkRecorded(); // the record was written with the delete
            return TypedResults.NoContent();
        });
        routes.MapLoginEndpoints();
        routes.MapOidcEndpoints();
        return routes;
    }

    /// <summary>The audit entry of a new token: what it is and whose, never its secret.</summary>
    internal static AuditEntry TokenCreated(TokenInfo token, string by) =>
        new("token.created", $"token:{token.Id}", After: JsonSerializer.Serialize(token, JsonSerializerOptions.Web)) { User = by };

    private static void RequireOn(MizzenAuth auth)
    {
        if (!auth.Enabled)
        {
            throw new ConflictException("API tokens need authentication: configure Mizzen:Auth (LDAP, OIDC or Enabled: true); see docs/authentication.md");
        }
    }

    private static void RequireChange(HttpContext http, MizzenAuth auth, string what)
    {
        RequireOn(auth);
        if (MizzenAuth.IsReadOnly(http.User))
        {
            throw new ForbiddenException($"a read-only token may not {what}");
        }
    }

    internal static string? Text(JsonObject body, string field) =>
        body[field] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw new ValidationException(field, $"{field} must be a string"),
        };

    private static DateTimeOffset? ExpiresAt(JsonObject body) =>
        Text(body, "expiresAt") is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw new ValidationException("expiresAt", $"expiresAt must be a date and time such as 2027-01-31T00:00:00Z, not '{text}'");

    private sealed record CurrentUser(string Username, IReadOnlyList<string> Roles, bool Authenticated, bool Admin);

    internal sealed record CreatedToken(string Id, string Owner, string Name, string Scope, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Token)
    {
        public CreatedToken(TokenInfo info, string secret)
            : this(info.Id, info.Owner, info.Name, info.Scope, info.CreatedAt, info.ExpiresAt, secret)
        {
        }
    }
}
