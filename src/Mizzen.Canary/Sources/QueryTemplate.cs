using System.Text;

namespace Mizzen.Canary.Sources;

/// <summary>
/// Expands <c>${name}</c> placeholders as Kayenta does (Apache <c>StringSubstitutor</c>, undefined variables are errors);
/// <c>$${</c> (and Kayenta's <c>$\{</c>) stand for a literal <c>${</c>.
/// </summary>
public static class QueryTemplate
{
    public static string Expand(string template, IReadOnlyDictionary<string, string> variables, string location)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        var sb = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            if (Matches(template, i, "$${") || Matches(template, i, "$\\{"))
            {
                sb.Append("${");
                i += 3;
            }
            else if (Matches(template, i, "${"))
            {
                var end = template.IndexOf('}', i + 2);
                if (end < 0)
                {
                    throw Problem(location, $"template '{template}' has an unclosed ${{ at position {i}");
                }

                var name = template[(i + 2)..end];
                if (!variables.TryGetValue(name, out var value))
                {
                    throw Problem(location, $"template variable '${{{name}}}' is not defined; defined: {string.Join(", ", variables.Keys.Order(StringComparer.Ordinal))}");
                }

                sb.Append(value);
                i = end + 1;
            }
            else
            {
                sb.Append(template[i]);
                i++;
            }
        }

        return sb.ToString();
    }

    private static bool Matches(string s, int index, string token) => string.CompareOrdinal(s, index, token, 0, token.Length) == 0;

    private static CanaryConfigException Problem(string location, string message)
        => new(message, [new Configs.CanaryConfigIssue(Configs.CanaryConfigIssueSeverity.Error, location, message)]);
}
