using System.Text;

namespace Mizzen.Server.Demo;

/// <summary>The one friendly block (a log line each, so single-line consoles keep it readable) the demo logs at startup: where things are and what to try next.</summary>
internal static class DemoWelcome
{
    public static IEnumerable<string> Lines(string apiUrl, DemoEnvironment environment, string deployment)
    {
        var server = apiUrl.TrimEnd('/');
        var cli = server == "http://127.0.0.1:8084" ? "./mizzen" : $"MIZZEN_URL={server} ./mizzen";
        var text = new StringBuilder()
            .AppendLine("Mizzen demo is ready.")
            .AppendLine($"  UI             {server}/ (a browser)")
            .AppendLine($"  API            {server}")
            .AppendLine($"  prod (LB)      {environment.ProdUrl.AbsoluteUri}")
            .AppendLine($"  staging (LB)   {environment.StagingUrl.AbsoluteUri}")
            .AppendLine("  " + deployment)
            .AppendLine("Try next:")
            .AppendLine($"  open {environment.ProdUrl.AbsoluteUri} (a browser, or curl)")
            .AppendLine($"  {cli} cluster list demo")
            .AppendLine($"  {cli} pipeline execute demo deploy -p version=v2 --wait")
            .AppendLine($"  {cli} execution judge <execution-id> \"Promote to prod?\" --continue   # in a second terminal")
            .AppendLine($"  {cli} pipeline execute demo rollback --wait")
            .Append("  Tour: docs/demo.md");
        return text.ToString().Split('\n');
    }
}
