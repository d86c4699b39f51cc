using Mizzen.Core.Model;

namespace Mizzen.Server.Security;

/// <summary>
/// Who is calling. Until authentication is configured every caller is <c>anonymous</c>; a client may name itself with
/// the <c>X-Mizzen-User</c> header (recorded in audit fields only — it grants nothing, since nothing is restricted yet).
/// </summary>
public static class UserIdentity
{
    public const string Header = "X-Mizzen-User";

    public static string User(this HttpContext context)
    {
        var claimed = context.Request.Headers[Header].ToString().Trim();
        return claimed.Length is > 0 and <= 128 && claimed.All(c => !char.IsControl(c)) ? claimed : Users.Anonymous;
    }
}
