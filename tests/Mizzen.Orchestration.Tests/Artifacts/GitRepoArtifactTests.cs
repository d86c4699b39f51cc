using System.Text.Json.Nodes;
using Mizzen.Orchestration.Artifacts;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>git/repo artifacts checked out with the real git CLI from a real repository (file:// URL) at a branch, a tag or a commit.</summary>
public sealed class GitRepoArtifactTests : IAsyncLifetime
{
    private TestGitRepo repo = null!;
    private string first = "";
    private string second = "";

    public async Task InitializeAsync()
    {
        repo = await TestGitRepo.CreateAsync();
        first = await repo.CommitAsync("v1", ("deploy/app.yaml", "version: 1\n"), ("README.md", "shop\n"));
        await repo.GitAsync("tag", "v1");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        await repo.CommitAsync("feature", ("deploy/app.yaml", "version: feature\n"));
        await repo.GitAsync("checkout", "--quiet", "main");
        second = await repo.CommitAsync("v2", ("deploy/app.yaml", "version: 2\n"));
    }

    public Task DisposeAsync()
    {
        repo.Dispose();
        return Task.CompletedTask;
    }

    private Microsoft.Extensions.DependencyInjection.ServiceProvider Services() =>
        ArtifactFetching.Services(o => o.Accounts.Add(ArtifactFetching.Account("local-git", "git/repo", baseUrl: new Uri(repo.Root).AbsoluteUri)));

    private JsonObject Artifact(string? version, string? location = null) => new()
    {
        ["type"] = "git/repo", ["reference"] = repo.Url, ["version"] = version, ["location"] = location, ["artifactAccount"] = "local-git",
    };

    [Theory]
    [InlineData(null, "version: 2\n")]
    [InlineData("main", "version: 2\n")]
    [InlineData("feature", "version: feature\n")]
    [InlineData("v1", "version: 1\n")]
    public async Task A_repo_is_checked_out_at_its_version(string? version, string expected)
    {
        using var services = Services();

        using var checkout = await services.Fetcher().CheckoutAsync(Artifact(version), default);

        (await File.ReadAllTextAsync(Path.Combine(checkout.Path, "deploy", "app.yaml"))).ShouldBe(expected);
    }

    [Fact]
    public async Task A_commit_id_checks_out_that_commit_and_location_narrows_to_a_folder()
    {
        using var services = Services();

        using var checkout = await services.Fetcher().CheckoutAsync(Artifact(first, "deploy"), default);

        Path.GetFileName(checkout.Path).ShouldBe("deploy");
        (await File.ReadAllTextAsync(Path.Combine(checkout.Path, "app.yaml"))).ShouldBe("version: 1\n");
        second.ShouldNotBe(first);
    }

    [Fact]
    public async Task Disposing_the_checkout_deletes_it()
    {
        using var services = Services();
        string path;
        using (var checkout = await services.Fetcher().CheckoutAsync(Artifact("main"), default))
        {
            path = checkout.Path;
            Directory.Exists(path).ShouldBeTrue();
        }

        Directory.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task An_unknown_branch_fails_naming_the_artifact()
    {
        using var services = Services();

        var error = await Should.ThrowAsync<ArtifactException>(() => services.Fetcher().CheckoutAsync(Artifact("no-such-branch"), default));

        error.Message.ShouldStartWith($"artifact git/repo {repo.Url}: git fetch failed:");
        error.Message.ShouldContain("no-such-branch");
    }

    [Fact]
    public async Task A_missing_location_fails_naming_it()
    {
        using var services = Services();

        var error = await Should.ThrowAsync<ArtifactException>(() => services.Fetcher().CheckoutAsync(Artifact("main", "charts"), default));

        error.Message.ShouldContain("location 'charts' does not exist");
    }

    [Fact]
    public async Task A_location_that_climbs_out_of_the_checkout_is_refused()
    {
        using var services = Services();

        var error = await Should.ThrowAsync<ArtifactException>(() => services.Fetcher().CheckoutAsync(Artifact("main", ".."), default));

        error.Message.ShouldContain("location '..' is outside the repository");
    }

    [Fact]
    public async Task A_file_url_outside_every_accounts_file_base_is_refused()
    {
        using var services = ArtifactFetching.Services();
        var artifact = Artifact("main");
        artifact.Remove("artifactAccount");

        var error = await Should.ThrowAsync<ArtifactException>(() => services.Fetcher().CheckoutAsync(artifact, default));

        error.Message.ShouldContain("file:// repositories are allowed only under an artifact account's file:// baseUrl");
    }

    [Fact]
    public async Task A_url_with_credentials_is_refused()
    {
        using var services = ArtifactFetching.Services();

        var error = await Should.ThrowAsync<ArtifactException>(() => services.Fetcher().CheckoutAsync(
            new JsonObject { ["type"] = "git/repo", ["reference"] = "https://bob:hunter2@git.example.com/shop.git" }, default));

        error.Message.ShouldContain("URLs with credentials are not allowed");
        error.Message.ShouldNotContain("hunter2");
    }
}
