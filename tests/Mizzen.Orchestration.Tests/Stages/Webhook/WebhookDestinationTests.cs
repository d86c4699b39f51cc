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

    [Fact]
    public async Task Loopback_stays_allowed_by_default()
    {
        using var services = Services();
        var stage = Stage("webhook", $$"""{"url": "{{server.BaseUrl}}/hooks/ok"}""");

        var result = await services.GetRequiredService<CreateWebhookTask>().ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
    }
}
