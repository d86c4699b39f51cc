using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Artifacts;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>Fetching file artifacts over real HTTP on loopback: a small file server, and fakes of GitHub's and GitLab's file APIs.</summary>
public sealed class ArtifactFetcherTests : IAsyncLifetime
{
    private const string Password = "s3cret-pass-word";
    private LoopbackHttpServer files = null!;

    public async Task InitializeAsync() => files = await LoopbackHttpServer.StartAsync(app =>
    {
        app.MapGet("/files/config.yaml", () => Results.Text("replicas: 3\n", "application/yaml"));
        app.MapGet("/files/big.bin", () => Results.Bytes(new byte[4096], "application/octet-stream"));
        app.MapGet("/private/config.yaml", (HttpContext http) =>
            http.Request.Headers.Authorization.ToString() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:" + Password))
                ? Results.Text("private: true\n")
                : Results.StatusCode(401));
        app.MapGet("/bearer/config.yaml", (HttpContext http) =>
            http.Request.Headers.Authorization.ToString() == "Bearer tok-123" ? Results.Text("bearer: true\n") : Results.StatusCode(403));
        app.MapGet("/moved", () => Results.Redirect("/files/config.yaml"));
    });

    public async Task DisposeAsync() => await files.DisposeAsync();

    private static JsonObject Artifact(string type, string reference, string? account = null, string? version = null)
    {
        var artifact = new JsonObject { ["type"] = type, ["name"] = "config", ["reference"] = reference };
        if (account is not null)
        {
            artifact["artifactAccount"] = account;
        }

        if (version is not null)
        {
            artifact["version"] = version;
        }

        return artifact;
    }

    [Fact]
    public async Task An_embedded_base64_artifact_is_its_decoded_reference()
    {
        using var services = ArtifactFetching.Services();

        var fetched = await services.Fetcher().FetchAsync(Artifact("embedded/base64", Convert.ToBase64String("hello: world"u8.ToArray()), "embedded-artifact"), default);

        fetched.Text.ShouldBe("hello: world");
    }

    [Fact]
    public async Task An_http_file_on_a_host_the_operator_allows_is_fetched_with_the_default_account()
    {
        using var services = ArtifactFetching.Services(allowedHosts: files.HostAndPort);

        var fetched = await services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/files/config.yaml", "no-auth-http-account"), default);

        fetched.Text.ShouldBe("replicas: 3\n");
        fetched.ContentType.ShouldBe("application/yaml");
    }

    [Fact]
    public async Task A_redirect_is_followed_and_checked_again()
    {
        using var services = ArtifactFetching.Services(allowedHosts: files.HostAndPort);

        var fetched = await services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/moved"), default);

        fetched.Text.ShouldBe("replicas: 3\n");
    }

    [Fact]
    public async Task An_http_file_on_loopback_the_operator_did_not_allow_is_refused_before_any_request()
    {
        using var services = ArtifactFetching.Services();

        var error = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/files/config.yaml"), default));

        error.Message.ShouldContain("artifact http/file 'config'");
        error.Message.ShouldContain("127.0.0.1");
        error.Message.ShouldContain("Mizzen:Expressions:Url:AllowedHosts");
        files.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_metadata_address_is_refused()
    {
        using var services = ArtifactFetching.Services();

        var error = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("http/file", "http://169.254.169.254/latest/meta-data/"), default));

        error.Message.ShouldContain("169.254.169.254");
        error.Kind.ShouldBe(ErrorKind.Invalid);
    }

    [Fact]
    public async Task An_account_with_basic_auth_sends_its_credentials_and_no_error_shows_them()
    {
        using var services = ArtifactFetching.Services(
            o => o.Accounts.Add(ArtifactFetching.Account("ci-files", "http/file", username: "ci", password: Password)),
            files.HostAndPort);

        var fetched = await services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/private/config.yaml", "ci-files"), default);
        var refused = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/bearer/config.yaml", "ci-files"), default));

        fetched.Text.ShouldBe("private: true\n");
        refused.Message.ShouldContain("403");
        refused.Message.ShouldContain("credentials");
        refused.Message.ShouldNotContain(Password);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_followed_without_the_accounts_credentials()
    {
        await using var elsewhere = await LoopbackHttpServer.StartAsync(app => app.MapGet("/copy.yaml", () => Results.Text("copy: true\n")));
        await using var redirecting = await LoopbackHttpServer.StartAsync(app => app.MapGet("/config.yaml", () => Results.Redirect(elsewhere.BaseUrl + "/copy.yaml")));
        using var services = ArtifactFetching.Services(
            o => o.Accounts.Add(ArtifactFetching.Account("bearer-files", "http/file", token: "tok-123")), redirecting.HostAndPort, elsewhere.HostAndPort);

        var fetched = await services.Fetcher().FetchAsync(Artifact("http/file", redirecting.BaseUrl + "/config.yaml", "bearer-files"), default);

        fetched.Text.ShouldBe("copy: true\n");
        redirecting.Received.ShouldHaveSingleItem().Headers["Authorization"].ShouldBe("Bearer tok-123");
        elsewhere.Received.ShouldHaveSingleItem().Headers.ContainsKey("Authorization").ShouldBeFalse();
    }

    [Fact]
    public void An_account_without_types_is_refused_naming_the_setting()
    {
        using var services = ArtifactFetching.Services(o => o.Accounts.Add(new ArtifactAccountOptions { Name = "typeless" }));

        var error = Should.Throw<ValidationException>(() =>
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ArtifactAccounts>(services).All);

        error.Problems.ShouldHaveSingleItem().Location.ShouldBe("Mizzen:Artifacts:Accounts:0:types");
    }

    [Fact]
    public async Task An_account_with_a_token_sends_it_as_a_bearer_token()
    {
        using var services = ArtifactFetching.Services(
            o => o.Accounts.Add(ArtifactFetching.Account("bearer-files", "http/file", token: "tok-123")), files.HostAndPort);

        var fetched = await services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/bearer/config.yaml", "bearer-files"), default);

        fetched.Text.ShouldBe("bearer: true\n");
    }

    [Fact]
    public async Task A_missing_file_is_a_not_found_error_naming_the_artifact()
    {
        using var services = ArtifactFetching.Services(allowedHosts: files.HostAndPort);

        var error = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/files/nope.yaml?token=abc"), default));

        error.Kind.ShouldBe(ErrorKind.NotFound);
        error.Message.ShouldBe($"artifact http/file 'config' {files.BaseUrl}/files/nope.yaml: the server answered 404 Not Found (no such file, or the account may not see it)");
    }

    [Fact]
    public async Task Content_over_the_size_cap_is_refused()
    {
        using var services = ArtifactFetching.Services(o => o.MaxBytes = 1000, files.HostAndPort);

        var error = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/files/big.bin"), default));

        error.Message.ShouldContain("larger than 1000 bytes (Mizzen:Artifacts:MaxBytes)");
    }

    [Fact]
    public async Task An_unknown_account_or_one_that_does_not_serve_the_type_is_named()
    {
        using var services = ArtifactFetching.Services(allowedHosts: files.HostAndPort);

        var unknown = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/files/config.yaml", "nobody"), default));
        var wrongType = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("http/file", files.BaseUrl + "/files/config.yaml", "embedded-artifact"), default));

        unknown.Message.ShouldContain("artifact account 'nobody' does not exist");
        wrongType.Message.ShouldContain("artifact account 'embedded-artifact' does not serve type 'http/file'");
        files.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_github_file_is_fetched_at_its_version_with_the_accounts_token()
    {
        await using var github = await FakeGitHub.StartAsync();
        github.AddFile("acme/shop", "deploy/app.yaml", "v1.2.0", "image: shop:1.2.0\n");
        github.AddFile("acme/shop", "deploy/app.yaml", "main", "image: shop:latest\n");
        using var services = ArtifactFetching.Services(o => o.Accounts.Add(ArtifactFetching.Account("acme-github", "github/file", github.Token, github.ApiUrl)));
        var reference = github.ApiUrl + "/repos/acme/shop/contents/deploy/app.yaml";

        var tagged = await services.Fetcher().FetchAsync(Artifact("github/file", reference, "acme-github", "v1.2.0"), default);
        var head = await services.Fetcher().FetchAsync(Artifact("github/file", reference, "acme-github"), default);

        tagged.Text.ShouldBe("image: shop:1.2.0\n");
        head.Text.ShouldBe("image: shop:latest\n");
        github.Server.Received.Select(r => r.PathAndQuery).ShouldBe(["/repos/acme/shop/contents/deploy/app.yaml?ref=v1.2.0", "/repos/acme/shop/contents/deploy/app.yaml"]);
    }

    [Fact]
    public async Task The_default_github_account_sends_no_token_and_only_to_api_github_com()
    {
        await using var github = await FakeGitHub.StartAsync();
        using var services = ArtifactFetching.Services(allowedHosts: github.Server.HostAndPort);

        var error = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("github/file", github.ApiUrl + "/repos/acme/shop/contents/a.yaml"), default));

        error.Message.ShouldContain("not under the baseUrl of artifact account 'github-artifact-account' (https://api.github.com/)");
        github.Server.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_wrong_github_token_is_refused_without_showing_it()
    {
        await using var github = await FakeGitHub.StartAsync();
        github.AddFile("acme/shop", "a.yaml", "main", "a");
        using var services = ArtifactFetching.Services(o => o.Accounts.Add(ArtifactFetching.Account("acme-github", "github/file", "wrong-token-value", github.ApiUrl)));

        var error = await Should.ThrowAsync<ArtifactException>(() =>
            services.Fetcher().FetchAsync(Artifact("github/file", github.ApiUrl + "/repos/acme/shop/contents/a.yaml", "acme-github"), default));

        error.Message.ShouldContain("401");
        error.Message.ShouldNotContain("wrong-token-value");
    }

    [Fact]
    public async Task A_gitlab_file_is_fetched_with_the_private_token_at_its_version()
    {
        await using var gitlab = await FakeGitLab.StartAsync();
        gitlab.AddFile("acme/shop", "deploy/app.yaml", "v2", "image: shop:2\n");
        var account = ArtifactFetching.Account("acme-gitlab", "gitlab/file", baseUrl: gitlab.BaseUrl);
        var tokenFile = Path.Combine(Path.GetTempPath(), "mizzen-gitlab-token-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(tokenFile, gitlab.Token + "\n");
        account.TokenFile = tokenFile;
        try
        {
            using var services = ArtifactFetching.Services(o => o.Accounts.Add(account));
            var reference = gitlab.BaseUrl + "/api/v4/projects/acme%2Fshop/repository/files/deploy%2Fapp.yaml/raw";

            var fetched = await services.Fetcher().FetchAsync(Artifact("gitlab/file", reference, "acme-gitlab", "v2"), default);
            var missing = await Should.ThrowAsync<ArtifactException>(() =>
                services.Fetcher().FetchAsync(Artifact("gitlab/file", reference, "acme-gitlab", "v3"), default));

            fetched.Text.ShouldBe("image: shop:2\n");
            missing.Kind.ShouldBe(ErrorKind.NotFound);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task The_accounts_list_has_configured_accounts_then_spinnakers_defaults_for_the_other_types()
    {
        using var services = ArtifactFetching.Services(o => o.Accounts.Add(ArtifactFetching.Account("acme-github", "github/file", "t")));

        var accounts = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ArtifactAccounts>(services).All;

        accounts.Select(a => a.Name).ShouldBe([
            "acme-github", "embedded-artifact", "no-auth-http-account", "gitlab-artifact-account", "git-repo-artifact-account", "local-bundle-account",
        ]);
    }
}
