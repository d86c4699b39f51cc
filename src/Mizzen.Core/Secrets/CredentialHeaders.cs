using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizzen.Core.Secrets;

/// <summary>
/// Request headers whose values are credentials (<c>Authorization</c>, <c>Cookie</c>, <c>X-Api-Key</c>, and any name with
/// <c>token</c>, <c>secret</c>, <c>password</c>, <c>apikey</c>/<c>api-key</c> or <c>credential</c> in it). Their values must be
/// secret references; anything else found in a <c>customHeaders</c> object is replaced by <see cref="Redacted"/> before it is
/// stored or shown (pipelines saved before references existed, runs started from them).
/// </summary>
public static class CredentialHeaders
{
    public const string Redacted = "******";

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "Api-Key", "X-Auth",
    };

    private static readonly string[] Fragments = ["token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "credential"];

    public static bool IsSensitive(string headerName) =>
        Names.Contains(headerName.Trim()) || Fragments.Any(f => headerName.Contains(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// True when <paramref name="value"/> (a header value: a string or a list of strings) carries no credential of its own:
    /// it is empty, or each string holds a <c>${secret:name}</c> reference (around which only a scheme such as <c>Bearer</c> may stand).
    /// </summary>
    public static bool IsSafeValue(JsonNode? value) => value switch
    {
        null => true,
        JsonArray list => list.All(IsSafeValue),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => IsSafeText(v.GetValue<string>()),
        _ => false,
    };

    /// <summary>A string header value that is empty or a secret reference with at most a short scheme word before it (<c>Bearer ${secret:t}</c>).</summary>
    public static bool IsSafeText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!SecretReferences.ContainsReference(text))
        {
            return false;
        }

        var rest = System.Text.RegularExpressions.Regex.Replace(text, @"\$\{secret:[A-Za-z0-9][A-Za-z0-9._-]*\}", " ").Trim();
        return rest.Length == 0 || (rest.Length <= 16 && rest.All(char.IsAsciiLetter));
    }

    /// <summary>
    /// Replaces, in place, every credential header value in any <c>customHeaders</c> object under <paramref name="node"/>
    /// that is not <see cref="IsSafeValue">safe</see>. Returns true when something was replaced.
    /// </summary>
    public static bool RedactInPlace(JsonNode? node)
    {
        // Runs on every stage write and every API answer: no copies unless a credential header is found.
        var changed = false;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    changed |= string.Equals(key, "customHeaders", StringComparison.Ordinal) && value is JsonObject headers
                        ? RedactHeaders(headers)
                        : value is JsonObject or JsonArray && RedactInPlace(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    changed |= item is JsonObject or JsonArray && RedactInPlace(item);
                }

                break;
        }

        return changed;
    }

    private static bool RedactHeaders(JsonObject headers)
    {
        List<string>? unsafeNames = null;
        foreach (var (name, value) in headers)
        {
            if (IsSensitive(name) && !(value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == Redacted) && !IsSafeValue(value))
            {
                (unsafeNames ??= []).Add(name);
            }
        }

        foreach (var name in unsafeNames ?? [])
        {
            headers[name] = Redacted;
        }

        return unsafeNames is not null;
    }

    /// <summary>A redacted copy of <paramref name="node"/> (see <see cref="RedactInPlace"/>); the original is left as it is.</summary>
    public static JsonNode? RedactedCopy(JsonNode? node)
    {
        var copy = node?.DeepClone();
        RedactInPlace(copy);
        return copy;
    }
}
