using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mizzen.Core.Secrets;

/// <summary>
/// <c>${secret:name}</c> in a string: a reference to a named secret, resolved only where a request is sent. The expression
/// language keeps it as literal text (it is not an expression), so it survives stage context evaluation unchanged and what is
/// stored or shown is the reference, never the value. Names are letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.
/// </summary>
public static partial class SecretReferences
{
    public const string Prefix = "${secret:";

    [GeneratedRegex(@"\$\{secret:([A-Za-z0-9][A-Za-z0-9._-]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^secret:[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Body();

    /// <summary>True when the text inside <c>${ }</c> is a secret reference (<c>secret:name</c>), which is not an expression.</summary>
    public static bool IsReferenceBody(string body) => Body().IsMatch(body.Trim());

    public static bool ContainsReference(string? text) => text is not null && Reference().IsMatch(text);

    /// <summary>The secret names referenced in <paramref name="text"/>, in order.</summary>
    public static IEnumerable<string> Names(string? text) =>
        text is null ? [] : Reference().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The secret names referenced anywhere in <paramref name="node"/> (strings only, not keys).</summary>
    public static IEnumerable<string> Names(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Names(p.Value)),
        JsonArray a => a.SelectMany(Names),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Names(v.GetValue<string>()),
        _ => [],
    };

    /// <summary>
    /// <paramref name="text"/> with each reference replaced by its value; each value used is added to <paramref name="used"/>
    /// (so the caller can scrub it from anything that comes back). Throws <see cref="SecretNotFoundException"/> naming a
    /// secret that is missing or, when <paramref name="pipelineField"/>, not allowed in pipelines.
    /// </summary>
    public static string Resolve(string text, ISecretStore? store, bool pipelineField, ISet<string> used)
    {
        if (!text.Contains(Prefix, StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder();
        var last = 0;
        foreach (Match match in Reference().Matches(text))
        {
            var name = match.Groups[1].Value;
            builder.Append(text, last, match.Index - last).Append(Value(name, store, pipelineField, used));
            last = match.Index + match.Length;
        }

        return builder.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>A copy of <paramref name="node"/> with every reference in its strings resolved (see <see cref="Resolve(string, ISecretStore?, bool, ISet{string})"/>).</summary>
    public static JsonNode? Resolve(JsonNode? node, ISecretStore? store, bool pipelineField, ISet<string> used) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, store, pipelineField, used)))),
        JsonArray a => new JsonArray([.. a.Select(n => Resolve(n, store, pipelineField, used))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(Resolve(v.GetValue<string>(), store, pipelineField, used)),
        _ => node?.DeepClone(),
    };

    /// <summary>The problem with a reference to <paramref name="name"/> (missing, or not for pipelines), or null when it resolves.</summary>
    public static string? Problem(string name, ISecretStore? store, bool pipelineField)
    {
        try
        {
            _ = Value(name, store, pipelineField, new HashSet<string>());
            return null;
        }
        catch (SecretNotFoundException e)
        {
            return e.Message;
        }
    }

    private static string Value(string name, ISecretStore? store, bool pipelineField, ISet<string> used)
    {
        if (store is null || !store.TryGet(name, out var value))
        {
            throw SecretNotFoundException.Missing(name, store);
        }

        if (pipelineField && !store.IsAllowedInPipelines(name))
        {
            throw SecretNotFoundException.NotForPipelines(name);
        }

        if (value.Length > 0)
        {
            used.Add(value);
        }

        return value;
    }
}
