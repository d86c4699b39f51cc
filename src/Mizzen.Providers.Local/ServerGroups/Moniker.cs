using System.Globalization;
using System.Text.RegularExpressions;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.ServerGroups;

/// <summary>Spinnaker's naming (Frigga): cluster <c>app-stack-detail</c>, server group <c>cluster-vNNN</c>.</summary>
public static partial class Moniker
{
    public static string Cluster(string application, string? stack, string? detail)
    {
        Validate(application, "application", allowEmpty: false);
        Validate(stack, "stack", allowEmpty: true);
        Validate(detail, "detail", allowEmpty: true);
        if (!string.IsNullOrEmpty(detail))
        {
            return $"{application}-{stack}-{detail}";
        }

        return string.IsNullOrEmpty(stack) ? application : $"{application}-{stack}";
    }

    public static string ServerGroup(string cluster, int sequence) => $"{cluster}-v{sequence.ToString("000", CultureInfo.InvariantCulture)}";

    /// <summary>Splits <c>demo-prod-v003</c> into (<c>demo-prod</c>, 3); false for a name without a version.</summary>
    public static bool TryParseServerGroup(string name, out string cluster, out int sequence)
    {
        var match = VersionSuffix().Match(name);
        if (match.Success)
        {
            cluster = name[..match.Index];
            sequence = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return true;
        }

        cluster = name;
        sequence = 0;
        return false;
    }

    private static void Validate(string? value, string field, bool allowEmpty)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (!allowEmpty)
            {
                throw new ValidationException(field, $"{field} is required");
            }

            return;
        }

        if (!NamePart().IsMatch(value) || (field != "detail" && value.Contains('-', StringComparison.Ordinal)))
        {
            throw new ValidationException(field, $"'{value}' is not a valid {field}: use letters, digits{(field == "detail" ? ", '-'" : "")} and '_' only");
        }
    }

    [GeneratedRegex("-v([0-9]{3,})$")]
    private static partial Regex VersionSuffix();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePart();
}
