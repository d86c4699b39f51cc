using System.Text;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Functions.FunctionArguments;

namespace Mizzen.Expressions.Functions;

/// <summary><c>#fromUrl</c>, <c>#jsonFromUrl</c>, <c>#yamlFromUrl</c>, <c>#propertiesFromUrl</c>, through the restricted fetcher.</summary>
internal static class UrlFunctions
{
    public static void Register(ExpressionFunctionRegistry registry)
    {
        registry.Add("fromUrl", (args, state) => Fetch(args, state, "#fromUrl(url)"));
        registry.Add("jsonFromUrl", (args, state) => JsonDocumentReader.Read(Fetch(args, state, "#jsonFromUrl(url)"), state, "#jsonFromUrl"));
        registry.Add("yamlFromUrl", (args, state) => YamlReader.ReadOne(Fetch(args, state, "#yamlFromUrl(url)"), state, "#yamlFromUrl(url)"));
        registry.Add("propertiesFromUrl", (args, state) => ReadProperties(Fetch(args, state, "#propertiesFromUrl(url)")));
    }

    private static string Fetch(object?[] args, EvaluationState state, string signature)
    {
        Count(args, 1, signature);
        var text = state.Environment.UrlFetcher.Fetch(Text(args, 0, signature));
        state.CheckLength((long)text.Length);
        return text;
    }

    /// <summary>Java <c>.properties</c>: <c>key=value</c> or <c>key: value</c>, <c>#</c>/<c>!</c> comments, backslash line continuation.</summary>
    public static ValueMap ReadProperties(string text)
    {
        var map = new ValueMap();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var joined = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            // Continuations are joined in a builder: joining them one string at a time is quadratic in a long run of them.
            joined.Clear().Append(lines[i].AsSpan().TrimStart());
            while (joined.Length > 0 && joined[^1] == '\\' && i + 1 < lines.Length)
            {
                joined.Length--;
                joined.Append(lines[++i].AsSpan().TrimStart());
            }

            var line = joined.ToString();

            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var separator = line.IndexOfAny(['=', ':']);
            var key = separator < 0 ? line.Trim() : line[..separator].Trim();
            map[key] = separator < 0 ? "" : line[(separator + 1)..].Trim();
        }

        return map;
    }
}
