namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Fiat's authorizations on a resource. Applications know all three; accounts only <see cref="Read"/> (see what is deployed there) and
/// <see cref="Write"/> (deploy to it, change what runs there). WRITE does not imply READ, as in fiat.
/// </summary>
public enum Access
{
    Read,
    Write,
    Execute,
}

/// <summary>The wire names (<c>READ</c>, <c>WRITE</c>, <c>EXECUTE</c>) Spinnaker writes in <c>permissions</c>.</summary>
public static class AccessNames
{
    public static string Wire(this Access access) => access switch
    {
        Access.Read => "READ",
        Access.Write => "WRITE",
        _ => "EXECUTE",
    };

    public static bool TryParse(string? name, out Access access)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "READ":
                access = Access.Read;
                return true;
            case "WRITE":
                access = Access.Write;
                return true;
            case "EXECUTE":
                access = Access.Execute;
                return true;
            default:
                access = default;
                return false;
        }
    }
}
