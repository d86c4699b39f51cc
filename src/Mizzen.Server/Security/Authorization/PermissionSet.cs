using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// One resource's <c>permissions</c>: for each <see cref="Access"/>, the roles that hold it (trimmed and lower-cased, as fiat compares them).
/// Fiat's rule: a resource no authorization names a role for is unrestricted (everyone holds everything); otherwise a caller holds an
/// authorization when one of its roles is listed for it. Permissions go to roles only, never to single users.
/// </summary>
public sealed class PermissionSet
{
    private static readonly FrozenSet<string> None = FrozenSet<string>.Empty;

    /// <summary>Open to everyone: the permissions of a resource that names none.</summary>
    public static readonly PermissionSet Unrestricted = new(None, None, None);

    private PermissionSet(FrozenSet<string> read, FrozenSet<string> write, FrozenSet<string> execute)
    {
        Read = read;
        Write = write;
        Execute = execute;
    }

    public FrozenSet<string> Read { get; }

    public FrozenSet<string> Write { get; }

    /// <summary>As written: empty when the resource names no EXECUTE roles (then <see cref="RolesFor"/> falls back).</summary>
    public FrozenSet<string> Execute { get; }

    /// <summary>Whether any authorization names a role; an unrestricted resource is open to every caller.</summary>
    public bool IsRestricted => Read.Count > 0 || Write.Count > 0 || Execute.Count > 0;

    /// <summary>
    /// The roles that hold <paramref name="access"/>. EXECUTE left empty on a restricted application takes the roles of
    /// <paramref name="executeFallback"/> (fiat's <c>fiat.executeFallback</c>, READ by default).
    /// </summary>
    public FrozenSet<string> RolesFor(Access access, Access executeFallback) => access switch
    {
        Access.Read => Read,
        Access.Write => Write,
        _ => Execute.Count > 0 || !IsRestricted ? Execute : executeFallback == Access.Write ? Write : Read,
    };

    /// <summary>Whether a caller holding <paramref name="roles"/> (lower-cased) holds <paramref name="access"/>.</summary>
    public bool Allows(Access access, IReadOnlySet<string> roles, Access executeFallback)
    {
        if (!IsRestricted)
        {
            return true;
        }

        foreach (var role in RolesFor(access, executeFallback))
        {
            if (roles.Contains(role))
            {
                return true;
            }
        }

        return false;
    }

    public static PermissionSet Of(IEnumerable<string>? read, IEnumerable<string>? write, IEnumerable<string>? execute)
    {
        var set = new PermissionSet(Roles(read), Roles(write), Roles(execute));
        return set.IsRestricted ? set : Unrestricted;
    }

    /// <summary>
    /// Reads an application's <c>permissions</c> object. Throws <see cref="ValidationException"/> naming the place
    /// (<paramref name="location"/>.KEY) for a key that is not READ, WRITE or EXECUTE, or a value that is not a list of role names.
    /// </summary>
    public static PermissionSet Parse(JsonObject? permissions, string location = "permissions")
    {
        if (permissions is null || permissions.Count == 0)
        {
            return Unrestricted;
        }

        var lists = new Dictionary<Access, List<string>>();
        var problems = new List<ValidationProblem>();
        foreach (var (key, value) in permissions)
        {
            if (!AccessNames.TryParse(key, out var access))
            {
                problems.Add(new ValidationProblem($"{location}.{key}", $"'{key}' is not an authorization; use READ, WRITE or EXECUTE"));
                continue;
            }

            if (value is not JsonArray roles || roles.Any(r => r.AsString() is not { Length: > 0 }))
            {
                problems.Add(new ValidationProblem($"{location}.{key}", "must be a list of role names, e.g. [\"deployers\"]"));
                continue;
            }

            lists[access] = [.. roles.Select(r => r.AsString()!)];
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        return Of(lists.GetValueOrDefault(Access.Read), lists.GetValueOrDefault(Access.Write), lists.GetValueOrDefault(Access.Execute));
    }

    private static FrozenSet<string> Roles(IEnumerable<string>? roles) =>
        roles is null ? None : roles.Select(NormalizeRole).Where(r => r.Length > 0).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Role names compare trimmed and lower-cased, as fiat's do.</summary>
    public static string NormalizeRole(string role) => role.Trim().ToLowerInvariant();
}
