using Microsoft.Extensions.Configuration;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Secrets;
using Mizzen.Testing.Stores;

namespace Mizzen.Triggers.Tests.Notifications;

/// <summary>
/// A Slack bot token given as <c>${secret:slack-bot}</c> in <c>Mizzen:Notifications:Slack:Token</c>: resolved when the message is
/// sent, and a missing secret fails the delivery naming the setting and the secret (never the run). SQLite only: what is under test is
/// the channel's credentials, not the store.
/// </summary>
public sealed class NotificationSecretTests : IAsyncLifetime
{
    private SmtpTestServer smtp = null!;
    private FakeSlack slack = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpTestServer.StartNewAsync();
        slack = await FakeSlack.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await slack.DisposeAsync();
        await smtp.DisposeAsync();
    }

    private Task<NotificationEngine> EngineAsync(string? secretValue) =>
        NotificationEngine.CreateAsync(StoreBackend.Sqlite, smtp.Port, slack.BaseUrl, o => o.Slack.Token = "${secret:slack-bot}",
            s => s.AddMizzenSecrets(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mizzen:Secrets:slack-bot"] = secretValue,
                ["Mizzen:SecretStore:EnvironmentPrefix"] = "",
            }).Build()));

    private const string Pipeline = """
        {"id":"release","application":"shop","name":"release",
         "notifications":[{"type":"slack","address":"deploys","level":"pipeline","when":["pipeline.starting"]}],
         "stages":[{"refId":"1","type":"wait","name":"pause","waitTime":0}]}
        """;

    [Fact]
    public async Task A_slack_token_from_a_secret_reaches_slack_and_no_log()
    {
        await using var engine = await EngineAsync(FakeSlack.Token);

        var run = await engine.StartAsync(Pipeline);

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        slack.Posted.ShouldHaveSingleItem().Channel.ShouldBe("#deploys");
        engine.Logs.Lines.ShouldNotContain(l => l.Contains(FakeSlack.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_secret_fails_the_delivery_naming_the_setting_and_the_secret_and_the_run_still_succeeds()
    {
        await using var engine = await EngineAsync(secretValue: null);

        var run = await engine.StartAsync(Pipeline);

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        slack.Posted.ShouldBeEmpty();
        engine.Logs.Lines.ShouldContain(l => l.Contains("Mizzen:Notifications:Slack:Token: secret 'slack-bot' is not defined (looked for Mizzen:Secrets:slack-bot)", StringComparison.Ordinal));
    }
}
