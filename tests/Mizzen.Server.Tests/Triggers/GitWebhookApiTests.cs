using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Triggers;

/// <summary>
/// Git pushes as GitHub, GitLab and Bitbucket send them, to echo's <c>/webhooks/git/{source}</c> on the real server. The commit hashes
/// come from a real repository made with git for the test.
/// </summary>
public sealed class GitWebhookApiTests : IAsyncLifetime
{
    private const string Secret = "s3cr3t-shared-with-github";

    private RunningServer server = null!;
    private string repository = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
        await SaveAsync("""
            {"application":"shop","name":"signed","triggers":[{"type":"git","enabled":true,"source":"github","project":"Acme","slug":"shop",
              "branch":"main|release-.*","secret":"s3cr3t-shared-with-github"}],
             "stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"commit","value":"${trigger.hash}@${trigger.branch}"}]}]}
            """);
        await SaveAsync("""
            {"application":"shop","name":"unsigned","triggers":[{"type":"git","enabled":true,"source":"github","project":"acme","slug":"shop"}],
             "stages":[{"refId":"1","type":"wait","name":"w","waitTime":1}]}
            """);
        await SaveAsync("""
            {"application":"shop","name":"from gitlab","triggers":[{"type":"git","enabled":true,"source":"gitlab","project":"group/sub","slug":"shop",
              "secret":"gitlab-token"}],"stages":[{"refId":"1","type":"wait","name":"w","waitTime":1}]}
            """);
        await SaveAsync("""
            {"application":"shop","name":"from bitbucket","triggers":[{"type":"git","enabled":true,"source":"bitbucket","project":"team","slug":"shop",
              "branch":"main"}],"stages":[{"refId":"1","type":"wait","name":"w","waitTime":1}]}
            """);
        repository = Directory.CreateTempSubdirectory("mizzen-git-").FullName;
        await GitAsync("init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(repository, "README"), "shop\n");
        await GitAsync("add", "README");
        await GitAsync("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(repository, recursive: true);
    }

    private async Task SaveAsync(string json)
    {
        var response = await server.PostJsonAsync("/pipelines", json);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> GitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        var output = await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync();
        git.ExitCode.ShouldBe(0, await git.StandardError.ReadToEndAsync());
        return output.Trim();
    }

    private static string GitHubPush(string branch, string hash) => $$$"""
        {"ref":"refs/heads/{{{branch}}}","before":"0000000000000000000000000000000000000000","after":"{{{hash}}}",
         "repository":{"id":1,"name":"shop","full_name":"acme/shop","owner":{"name":"acme","login":"acme"},
                       "clone_url":"https://github.com/acme/shop.git","html_url":"https://github.com/acme/shop"},
         "pusher":{"name":"ann"},"head_commit":{"id":"{{{hash}}}","message":"first"}}
        """;

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string source, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/git/{source}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static JsonNode Outcome(JsonNode answer, string pipeline) =>
        answer["executions"]!.AsArray().Single(e => e!["pipeline"]!.GetValue<string>() == pipeline)!;

    [Fact]
    public async Task A_signed_github_push_starts_the_matching_pipelines_with_the_commit_and_never_the_secret()
    {
        var hash = await GitAsync("rev-parse", "HEAD");
        var body = GitHubPush("main", hash);

        var (status, answer) = await PostAsync("github", body, ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "gh-1"), ("X-Hub-Signature-256", Sign(body, Secret)));

        status.ShouldBe(HttpStatusCode.OK);
        Outcome(answer, "unsigned")["result"]!.GetValue<string>().ShouldBe("started");
        var id = Outcome(answer, "signed")["executionId"]!.GetValue<string>();
        var run = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL");
        run["stages"]![0]!["outputs"]!["commit"]!.GetValue<string>().ShouldBe($"{hash}@main");
        run["trigger"]!["artifacts"]![0]!["type"]!.GetValue<string>().ShouldBe("git/repo");
        run.ToJsonString().ShouldNotContain(Secret);
        (await server.GetJsonAsync("/pipelines/shop/signed/triggers")).ToJsonString().ShouldNotContain(Secret);
    }

    [Fact]
    public async Task A_bad_signature_is_a_401_and_starts_nothing_not_even_the_pipeline_without_a_secret()
    {
        var body = GitHubPush("main", await GitAsync("rev-parse", "HEAD"));

        var (bad, problem) = await PostAsync("github", body, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", Sign(body, "guessed")));
        var (missing, _) = await PostAsync("github", body, ("X-GitHub-Event", "push"));

        bad.ShouldBe(HttpStatusCode.Unauthorized);
        problem["detail"]!.GetValue<string>().ShouldContain("does not match the trigger's secret");
        missing.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_push_to_another_branch_starts_only_the_pipelines_whose_branch_matches()
    {
        await GitAsync("checkout", "-q", "-b", "feature/x");
        var body = GitHubPush("feature/x", await GitAsync("rev-parse", "HEAD"));

        var (_, answer) = await PostAsync("github", body, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", Sign(body, Secret)));

        Outcome(answer, "signed")["result"]!.GetValue<string>().ShouldBe("skipped");
        Outcome(answer, "signed")["reason"]!.GetValue<string>().ShouldBe("branch 'feature/x' does not match 'main|release-.*'");
        Outcome(answer, "unsigned")["result"]!.GetValue<string>().ShouldBe("started"); // no branch: any
    }

    [Fact]
    public async Task GitLab_pushes_prove_themselves_with_the_token_and_Bitbucket_pushes_are_read_from_their_changes()
    {
        var hash = await GitAsync("rev-parse", "HEAD");
        var gitlab = $$$"""
            {"object_kind":"push","ref":"refs/heads/main","after":"{{{hash}}}","checkout_sha":"{{{hash}}}",
             "project":{"name":"shop","path_with_namespace":"group/sub/shop","git_http_url":"https://gitlab.example.com/group/sub/shop.git"}}
            """;
        var bitbucket = $$$$"""
            {"repository":{"full_name":"team/shop","links":{"html":{"href":"https://bitbucket.org/team/shop"}}},
             "push":{"changes":[{"new":{"type":"branch","name":"main","target":{"hash":"{{{{hash}}}}"}}}]}}
            """;

        var (wrongToken, _) = await PostAsync("gitlab", gitlab, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", "nope"));
        var (_, fromGitlab) = await PostAsync("gitlab", gitlab, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", "gitlab-token"));
        var (_, fromBitbucket) = await PostAsync("bitbucket", bitbucket, ("X-Event-Key", "repo:push"));

        wrongToken.ShouldBe(HttpStatusCode.Unauthorized);
        Outcome(fromGitlab, "from gitlab")["result"]!.GetValue<string>().ShouldBe("started");
        Outcome(fromBitbucket, "from bitbucket")["result"]!.GetValue<string>().ShouldBe("started");
    }

    [Fact]
    public async Task A_ping_or_a_tag_push_starts_nothing_and_says_so()
    {
        var (ping, pinged) = await PostAsync("github", """{"zen":"Keep it logically awesome."}""", ("X-GitHub-Event", "ping"));
        var tag = GitHubPush("x", "abc").Replace("refs/heads/x", "refs/tags/v1", StringComparison.Ordinal);
        var (_, tagged) = await PostAsync("github", tag, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", Sign(tag, Secret)));

        ping.ShouldBe(HttpStatusCode.OK);
        pinged["eventProcessed"]!.GetValue<bool>().ShouldBeFalse();
        tagged["eventProcessed"]!.GetValue<bool>().ShouldBeFalse();
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().ShouldBeEmpty();
    }
}
