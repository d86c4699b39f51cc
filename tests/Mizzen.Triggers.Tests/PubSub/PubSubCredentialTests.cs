using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.PubSub;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// A subscription with a service-account key (<c>jsonPath</c>): Mizzen signs Google's JWT-bearer grant with the key (Google.Apis.Auth), sends
/// the access token with every Pub/Sub call, and never writes the token or the key to a log or an error. The token endpoint is
/// <see cref="FakeGoogleApis"/> (the key file's <c>token_uri</c> points at it), which forwards Pub/Sub calls to the real emulator.
/// </summary>
[Collection(PubSubEmulatorCollection.Name)]
public sealed class PubSubCredentialTests(PubSubEmulator emulator) : IAsyncLifetime
{
    private readonly string topic = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly RSA key = RSA.Create(2048);
    private readonly RecordedLogs logs = new();
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"mizzen-sa-{Guid.NewGuid():N}.json");
    private FakeGoogleApis google = null!;
    private TriggerServices triggers = null!;
    private GooglePubSubSubscription subscription = null!;

    public async Task InitializeAsync()
    {
        google = new FakeGoogleApis(emulator.Endpoint, key);
        await google.StartAsync();
        await File.WriteAllTextAsync(keyFile, new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = PubSubEmulator.Project,
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "mizzen@mizzen-test.iam.gserviceaccount.com",
            ["client_id"] = "100000000000000000001",
            ["token_uri"] = new Uri(google.Url, "token").ToString(),
        }.ToJsonString());
        subscription = new GooglePubSubSubscription
        {
            Name = "images", Project = PubSubEmulator.Project, SubscriptionName = await emulator.CreateSubscriptionAsync(topic), MessageFormat = "GCR",
            AckDeadlineSeconds = 1, JsonPath = keyFile, Endpoint = google.Url.ToString(),
        };
        triggers = await TriggerServices.CreateAsync(StoreBackend.Sqlite, TestTime.Clock(), "mizzen-pubsub-key", logs.AddTo);
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"shop","name":"deploy",
             "triggers":[{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"images"}],"stages":[]}
            """), "tester", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await triggers.DisposeAsync();
        await google.DisposeAsync();
        key.Dispose();
        File.Delete(keyFile);
    }

    private string PrivateKeyLine => key.ExportPkcs8PrivateKeyPem().Split('\n')[1];

    [Fact]
    public async Task Pulls_carry_a_token_from_the_service_account_key_and_neither_appears_in_the_logs()
    {
        await emulator.PublishAsync(topic, """{"action":"INSERT","tag":"gcr.io/mizzen-test/shop:5.0"}""");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var pass = await triggers.Get<GooglePubSubSubscriber>().PullOnceAsync(subscription, waitForMessages: true, timeout.Token);

        pass.ShouldBe(new PubSubPullResult(1, 1, 0));
        var claims = google.TokenRequests.ShouldHaveSingleItem(); // one token, cached for the later calls
        claims["iss"]!.GetValue<string>().ShouldBe("mizzen@mizzen-test.iam.gserviceaccount.com");
        claims["scope"]!.GetValue<string>().ShouldBe("https://www.googleapis.com/auth/pubsub");
        google.PubSubAuthorizations.Count.ShouldBe(3); // pull, lease, acknowledge
        google.PubSubAuthorizations.ShouldAllBe(a => a == "Bearer " + FakeGoogleApis.AccessToken);
        logs.Entries.ShouldNotBeEmpty();
        logs.Entries.ShouldAllBe(e => !(e.Message + e.Exception).Contains(FakeGoogleApis.AccessToken) && !(e.Message + e.Exception).Contains(PrivateKeyLine));
    }

    [Fact]
    public async Task A_refused_key_fails_the_pull_with_the_reason_and_without_the_key()
    {
        google.RefuseGrants = true;

        var failure = await Should.ThrowAsync<PubSubRequestException>(() =>
            triggers.Get<GooglePubSubSubscriber>().PullOnceAsync(subscription, waitForMessages: false, CancellationToken.None));

        failure.Message.ShouldStartWith($"pull on projects/{PubSubEmulator.Project}/subscriptions/{subscription.SubscriptionName} at {google.Url.GetLeftPart(UriPartial.Authority)}: "
            + $"no access token from the service-account key {keyFile}: ");
        failure.Message.ShouldContain("invalid_grant");
        failure.Message.ShouldNotContain(PrivateKeyLine);
        google.PubSubAuthorizations.ShouldBeEmpty(); // nothing was sent to Pub/Sub without a token
    }
}
