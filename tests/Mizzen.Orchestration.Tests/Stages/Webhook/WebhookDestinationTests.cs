using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.Webhook;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.Webhook;

/// <summary>Where a webhook may go. Refused destinations are refused before any packet leaves: nothing is sent off loopback.</summary>
public sealed class WebhookDestinationTests(WebhookTestServer server) : IClassFixture<WebhookTestServer>
{
    private readonly FakeTimeProvider clock = TestTime.Clock();

    private static ServiceProvider Services(Action<WebhookOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging().AddCoreStages();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/")]
    [InlineData("http://[fe80::1]:8080/hook")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    public async Task A_webhook_to_a_link_local_or_metadata_address_fails_without_connecting(string url)
    {
        using var services = Services();
        var stage = Stage("webhook", $$"""{"url": "{{url}}"}""");

        var result = await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!["exception"]!.ToJsonString().ShouldContain("link-local or cloud metadata");
    }

    [Fact]
    public async Task With_an_allow_list_only_matching_urls_are_called()
    {
        using var services = Services(o => o.AllowedUrlPrefixes = ["https://ci.example.com/"]);
        var stage = Stage("webhook", $$"""{"url": "{{server.BaseUrl}}/hooks/ok"}""");

        var result = await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!["exception"]!.ToJsonString().ShouldContain("AllowedUrlPrefixes");
    }

    [Theory]
    [InlineData("http://127.0.0.1:{other}", "http://127.0.0.1:{other}@127.0.0.1:{port}/hooks/ok")]
    [InlineData("http://127.0.0.1:{other}/", "http://127.0.0.1:{other}@127.0.0.1:{port}/hooks/ok")]
    [InlineData("http://127.0.0.1:{port}/hook", "http://127.0.0.1:{port}/hooks/ok")]
    [InlineData("http://127.0.0.1:{port}/hooks/ok", "http://127.0.0.1:{port}/hooks/ok/../../status/x")]
    [InlineData("http://127.0.0.1:{port}/HOOKS", "http://127.0.0.1:{port}/hooks/ok")]
    [InlineData("http://127.0.0.1:{port}/hooks", "http://127.0.0.1:{port}/hooks%2F..%2Fstatus/x")]
    [InlineData("http://localhost:{port}/", "http://127.0.0.1:{port}/hooks/ok")]
    [InlineData("https://127.0.0.1:{port}/", "http://127.0.0.1:{port}/hooks/ok")]
    [InlineData("127.0.0.1:{other}", "http://127.0.0.1:{port}/hooks/ok")]
    public async Task A_url_that_only_looks_like_an_allowed_one_is_refused_before_any_request(string entry, string url)
    {
        var port = new Uri(server.BaseUrl).Port;
        var probe = Guid.NewGuid().ToString("N");
        string Fill(string text) => text.Replace("{port}", $"{port}").Replace("{other}", $"{(port == 29712 ? 29713 : 29712)}");
        using var services = Services(o => o.AllowedUrlPrefixes = [Fill(entry)]);
        var stage = Stage("webhook", $$"""{"url": "{{Fill(url)}}?probe={{probe}}"}""");

        var result = await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Context!["exception"]!.ToJsonString().ShouldContain("AllowedUrlPrefixes");
        server.Received.ShouldNotContain(r => r.PathAndQuery.Contains(probe));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/hooks")]
    [InlineData("http://127.0.0.1:{port}/hooks/")]
    [InlineData("http://127.0.0.1:{port}")]
    [InlineData("HTTP://127.0.0.1:{port}/hooks/ok")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.0.0.1")]
    public async Task A_url_under_an_entry_is_called(string entry)
    {
        var port = new Uri(server.BaseUrl).Port;
        using var services = Services(o => o.AllowedUrlPrefixes = [entry.Replace("{port}", $"{port}")]);
        var stage = Stage("webhook", $$"""{"url": "{{server.BaseUrl}}/hooks/ok"}""");

        var result = await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task User_info_does_not_hide_the_real_host_from_the_allow_list()
    {
        using var services = Services(o => o.AllowedUrlPrefixes = [server.BaseUrl + "/hooks"]);
        var withUserInfo = server.BaseUrl.Replace("http://", "http://deploy-bot@", StringComparison.Ordinal) + "/hooks/ok";
        var stage = Stage("webhook", $$"""{"url": "{{withUserInfo}}"}""");

        var result = await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Theory]
    [InlineData("http://user:secret@ci.example.com/")]
    [InlineData("https://ci.example.com/?token=1")]
    [InlineData("not a url")]
    public void A_bad_allow_list_entry_is_refused_when_the_options_are_read(string entry)
    {
        using var services = Services(o => o.AllowedUrlPrefixes = [entry]);

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value);

        error.Message.ShouldContain("Mizzen:Webhook:AllowedUrlPrefixes");
        error.Message.ShouldContain(entry);
    }

    [Fact]
    public async Task Loopback_stays_allowed_by_default()
    {
        using var services = Services();
        var stage = Stage("webhook", $$"""{"url": "{{server.BaseUrl}}/hooks/ok"}""");

        var result = await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
    }
}
