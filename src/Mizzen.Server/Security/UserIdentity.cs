using Mizzen.Core.Model;

namespace Mizzen.Server.Security;

/// <summary>
/// Who is calling, for audit fields. With authentication on it is the signed-in user's name (<c>X-Mizzen-User</c> is ignored: it would let
/// a caller be anyone); with it off every caller is <c>anonymous</c> unless it names itself with the <c>X-Mizzen-User</c> header, which
/// grants nothing, since nothing is restricted then.
/// </summary>
public static class UserIdentity
{
    public const string Header = "X-Mizzen-User";

    public static string User(this HttpContext context)
    {
        if (context.RequestServices.GetService<MizzenAuth>() is { Enabled: true })
        {
            return MizzenAuth.UserName(context.User);
        }

        var claimed = context.Request.Headers[Header].ToString().Trim();
        return claimed.Length is > 0 and <= 128 && claimed.All(c => !char.IsControl(c)) ? claimed : Users.Anonymous;
    }
}
