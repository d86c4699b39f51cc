using System.DirectoryServices.Protocols;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// Checks a user name and password by binding to the directory as that user (the password never leaves the bind), then reads the user's
/// groups as roles. The user's DN comes from the DN pattern, or from a search as the manager (search-then-bind).
/// </summary>
public sealed partial class LdapDirectory(IOptions<AuthOptions> options, ILogger<LdapDirectory> logger)
{
    private const int InvalidCredentials = 49;

    private LdapOptions Ldap => options.Value.Ldap;

    /// <summary>The user's canonical name and groups, or null when the user is unknown or the password is wrong (the caller may not tell which).</summary>
    public Task<DirectoryUser?> AuthenticateAsync(string user, string password, CancellationToken cancellationToken) =>
        Task.Run(() => Authenticate(user, password), cancellationToken);

    private DirectoryUser? Authenticate(string user, string password)
    {
        // An empty password is an unauthenticated bind, which many directories accept: it must never sign anyone in.
        if (user.Length is 0 or > 256 || password.Length == 0 || user.Any(char.IsControl))
        {
            return null;
        }

        try
        {
            using var manager = Ldap.ManagerDn is { Length: > 0 } ? Connect(new NetworkCredential(Ldap.ManagerDn, Ldap.ManagerPassword)) : null;
            var userDn = Ldap.UserDnPattern is { Length: > 0 } pattern
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, EscapeDnValue(user))
                : FindUserDn(manager ?? throw new DirectoryUnavailableException(Ldap.Url!, "Mizzen:Auth:Ldap needs UserDnPattern, or ManagerDn with UserSearchBase"), user);
            if (userDn is null)
            {
                return null;
            }

            using var bound = Connect(new NetworkCredential(userDn, password));
            if (bound is null)
            {
                return null;
            }

            var reader = manager ?? bound;
            return new DirectoryUser(user, userDn, [.. Groups(reader, userDn, user).Distinct(StringComparer.OrdinalIgnoreCase)]);
        }
        catch (LdapException e) when (e.ErrorCode != InvalidCredentials)
        {
            LogUnavailable(logger, e, Ldap.Url!, e.ErrorCode);
            throw new DirectoryUnavailableException(Ldap.Url!, e.Message);
        }
        catch (DirectoryOperationException e)
        {
            LogUnavailable(logger, e, Ldap.Url!, (int)e.Response.ResultCode);
            throw new DirectoryUnavailableException(Ldap.Url!, e.Message);
        }
    }

    /// <summary>A bound connection, or null when the directory says the credentials are invalid.</summary>
    private LdapConnection? Connect(NetworkCredential credential)
    {
        var url = new Uri(Ldap.Url!);
        var connection = new LdapConnection(new LdapDirectoryIdentifier(url.Host, url.IsDefaultPort || url.Port < 0 ? (url.Scheme == "ldaps" ? 636 : 389) : url.Port))
        {
            AuthType = AuthType.Basic,
            Timeout = Ldap.Timeout,
        };
        connection.SessionOptions.ProtocolVersion = 3;
        connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
        if (url.Scheme.Equals("ldaps", StringComparison.OrdinalIgnoreCase))
        {
            connection.SessionOptions.SecureSocketLayer = true;
        }

        try
        {
            connection.Bind(credential);
            return connection;
        }
        catch (LdapException e) when (e.ErrorCode == InvalidCredentials)
        {
            connection.Dispose();
            if (credential.UserName == Ldap.ManagerDn)
            {
                throw new DirectoryUnavailableException(Ldap.Url!, "the directory refused Mizzen:Auth:Ldap:ManagerDn's password");
            }

            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private string? FindUserDn(LdapConnection manager, string user)
    {
        var filter = Format(Ldap.UserSearchFilter, EscapeFilterValue(user));
        var response = (SearchResponse)manager.SendRequest(new SearchRequest(Ldap.UserSearchBase, filter, SearchScope.Subtree, "1.1"));
        return response.Entries.Count == 1 ? response.Entries[0].DistinguishedName : null;
    }

    private IEnumerable<string> Groups(LdapConnection connection, string userDn, string user)
    {
        if (Ldap.GroupSearchBase is { Length: > 0 } groupBase)
        {
            var filter = Format(Ldap.GroupSearchFilter, EscapeFilterValue(userDn), EscapeFilterValue(user));
            var response = (SearchResponse)connection.SendRequest(new SearchRequest(groupBase, filter, SearchScope.Subtree, Ldap.GroupRoleAttribute));
            foreach (SearchResultEntry entry in response.Entries)
            {
                if (entry.Attributes[Ldap.GroupRoleAttribute] is { Count: > 0 } values && values[0] is string role)
                {
                    yield return role;
                }
            }
        }

        if (Ldap.UseMemberOf)
        {
            var response = (SearchResponse)connection.SendRequest(new SearchRequest(userDn, "(objectClass=*)", SearchScope.Base, "memberOf"));
            foreach (SearchResultEntry entry in response.Entries)
            {
                foreach (var value in entry.Attributes["memberOf"]?.GetValues(typeof(string)) ?? [])
                {
                    if (FirstRdnValue((string)value) is { Length: > 0 } role)
                    {
                        yield return role;
                    }
                }
            }
        }
    }

    private static string Format(string template, params object[] values) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, values);

    /// <summary>RFC 4515: a value inside a search filter.</summary>
    public static string EscapeFilterValue(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => @"\5c",
                '*' => @"\2a",
                '(' => @"\28",
                ')' => @"\29",
                '\0' => @"\00",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <summary>RFC 4514: an attribute value inside a DN.</summary>
    public static string EscapeDnValue(string value)
    {
        var escaped = new StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '=' || (i == 0 && c is '#' or ' ') || (i == value.Length - 1 && c == ' '))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static string FirstRdnValue(string dn)
    {
        var equals = dn.IndexOf('=', StringComparison.Ordinal);
        var comma = dn.IndexOf(',', StringComparison.Ordinal);
        return equals < 0 ? "" : dn[(equals + 1)..(comma < 0 ? dn.Length : comma)].Trim();
    }

    [LoggerMessage(EventId = 9010, Level = LogLevel.Error, Message = "the LDAP directory {Url} failed (result code {Code})")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string url, int code);
}

/// <summary>A user the directory signed in: the name as typed, the DN, and the values of the user's groups' role attribute.</summary>
public sealed record DirectoryUser(string Name, string Dn, IReadOnlyList<string> Groups);

/// <summary>The directory could not be asked (down, misconfigured): a 502, and nothing about the user.</summary>
public sealed class DirectoryUnavailableException(string url, string reason) : MizzenException($"the LDAP directory {url} could not check the sign-in: {reason}")
{
    public override ErrorKind Kind => ErrorKind.Upstream;

    public override bool IsTransient => true;
}
