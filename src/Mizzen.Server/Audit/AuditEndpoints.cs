using System.Globalization;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Audit;

namespace Mizzen.Server.Audit;

/// <summary>
/// <c>GET /audit?user=&amp;action=&amp;target=&amp;since=&amp;until=&amp;before=&amp;limit=</c>: the audit log, newest first. <c>action</c> and
/// <c>target</c> match a prefix (<c>pipeline.</c>, <c>execution:01J</c>); <c>since</c>/<c>until</c> are ISO 8601 times or epoch
/// milliseconds; <c>before</c> is the <c>next</c> cursor of the previous page.
/// </summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/audit", async (string? user, string? action, string? target, string? since, string? until, string? before, int? limit,
            IAuditStore store, CancellationToken ct) =>
        {
            var query = Parse(user, action, target, since, until, before, limit);
            var records = await store.QueryAsync(query, ct);
            return TypedResults.Ok(new AuditPage(
                [.. records.Select(AuditView.From)],
                records.Count == query.Limit ? records[^1].Id : null));
        }).WithTags("Audit");
        return routes;
    }

    /// <summary>The query of <c>GET /audit</c> and the UI's audit page; a bad value is a validation error naming the parameter.</summary>
    public static AuditQuery Parse(string? user, string? action, string? target, string? since, string? until, string? before, int? limit)
    {
        if (limit is < 1 or > AuditQuery.MaxLimit)
        {
            throw new ValidationException("limit", $"must be between 1 and {AuditQuery.MaxLimit}");
        }

        return new AuditQuery
        {
            User = Blank(user),
            Action = Blank(action),
            Target = Blank(target),
            Since = Time("since", since),
            Until = Time("until", until),
            BeforeId = Blank(before),
            Limit = limit ?? 100,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? Time(string name, string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new ValidationException(name, $"'{text}' is not a time: use ISO 8601 (2026-12-03T10:00:00Z) or epoch milliseconds");
    }
}

/// <summary>A page of the audit log; <c>next</c> is the cursor for the following (older) page, null at the end.</summary>
public sealed record AuditPage(IReadOnlyList<AuditView> Entries, string? Next);

/// <summary>One audit record on the wire; <c>at</c> in epoch milliseconds like Spinnaker's times.</summary>
public sealed record AuditView(string Id, long At, string User, string Action, string Target, string? Address, int? Status, string? Before, string? After, string? Detail)
{
    public static AuditView From(AuditRecord r) =>
        new(r.Id, r.At.ToUnixTimeMilliseconds(), r.User, r.Action, r.Target, r.Address, r.Status, r.Before, r.After, r.Detail);
}
