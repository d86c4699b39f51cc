using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mizzen.Orchestration.Validation;
using Mizzen.Testing;
using Mizzen.Triggers.PubSub;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>Pipeline validation of pubsub triggers (offline, as the CLI does, and with subscriptions configured, as a server has them), and the options check at start.</summary>
public sealed class PubSubValidationTests
{
    private static IReadOnlyList<Core.Errors.ValidationProblem> Check(string trigger, params string[] configured) =>
        PipelineValidator.ValidateOffline($$"""{"application":"a","name":"p","triggers":[{{trigger}}],"stages":[{"refId":"1","type":"wait","waitTime":1}]}""",
            services =>
            {
                services.AddTriggerValidation();
                services.Configure<GooglePubSubOptions>(o => o.Subscriptions.AddRange(configured.Select(n => new GooglePubSubSubscription { Name = n, Project = "p", SubscriptionName = n })));
            });

    [Fact]
    public void A_trigger_on_a_configured_subscription_is_valid_whatever_the_case_of_its_name() =>
        Check("""{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"GCR-Images","attributeConstraints":{"eventType":"OBJECT_FINALIZE"}}""", "gcr-images")
            .ShouldBeEmpty();

    [Fact]
    public void An_unknown_subscription_is_an_error_naming_the_configured_ones()
    {
        var problem = Check("""{"type":"pubsub","enabled":true,"pubsubSystem":"google","subscriptionName":"gcr-imgaes"}""", "gcr-images", "builds").ShouldHaveSingleItem();

        problem.IsError.ShouldBeTrue();
        problem.Location.ShouldBe("triggers[0].subscriptionName");
        problem.Message.ShouldBe("no Google Pub/Sub subscription named 'gcr-imgaes' is configured (configured: gcr-images, builds)");
    }

    [Fact]
    public void Without_any_configured_subscription_the_trigger_is_a_warning_so_real_pipelines_still_validate_offline()
    {
        var text = File.ReadAllText(CompatData.PathOf("pipelines-wild", "homedepot-spingo-onboarding-notifications-pipeline.json"));

        var problems = PipelineValidator.ValidateOffline(text, services => services.AddTriggerValidation())
            .Where(p => p.Location.StartsWith("triggers", StringComparison.Ordinal)).ToList();

        var warning = problems.ShouldHaveSingleItem();
        warning.IsError.ShouldBeFalse();
        warning.Location.ShouldEndWith(".subscriptionName");
        warning.Message.ShouldContain("no Google Pub/Sub subscriptions are configured here (Mizzen:Triggers:PubSub:Google:Subscriptions)");
    }

    [Theory]
    [InlineData("", "triggers[0].pubsubSystem", true, "needs a pubsubSystem")]
    [InlineData("\"pubsubSystem\":\"azure\",", "triggers[0].pubsubSystem", true, "unknown pubsubSystem 'azure'")]
    [InlineData("\"pubsubSystem\":\"kafka\",", "triggers[0].pubsubSystem", false, "'kafka' is not supported yet")]
    public void The_pubsub_system_must_be_google(string system, string location, bool error, string message)
    {
        var problem = Check($$"""{"type":"pubsub","enabled":true,{{system}}"subscriptionName":"images"}""", "images").ShouldHaveSingleItem();

        problem.Location.ShouldBe(location);
        problem.IsError.ShouldBe(error);
        problem.Message.ShouldContain(message);
    }

    [Fact]
    public void A_missing_subscription_name_and_a_constraint_that_is_not_a_regular_expression_are_named()
    {
        var problems = Check("""{"type":"pubsub","enabled":true,"pubsubSystem":"google","payloadConstraints":{"status":"(SUCCESS"},"attributeConstraints":{"eventType":"[x"}}""", "images");

        problems.Select(p => (p.Location, p.IsError)).ShouldBe([
            ("triggers[0].subscriptionName", true),
            ("triggers[0].payloadConstraints.status", false),
            ("triggers[0].attributeConstraints.eventType", false),
        ]);
    }

    [Fact]
    public void A_subscription_that_could_never_be_pulled_stops_the_start_naming_each_setting()
    {
        var services = new ServiceCollection();
        services.AddTriggerValidation();
        services.Configure<GooglePubSubOptions>(o => o.Subscriptions.AddRange([
            new GooglePubSubSubscription { Name = "images", Project = "", SubscriptionName = "gcr", MessageFormat = "jinja", AckDeadlineSeconds = 0 },
            new GooglePubSubSubscription { Name = "IMAGES", Project = "p", SubscriptionName = "s", JsonPath = "/nonexistent/key.json", Endpoint = "ftp://x" },
        ]));
        using var provider = services.BuildServiceProvider();

        var failure = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GooglePubSubOptions>>().Value);

        failure.Failures.ShouldBe([
            "Mizzen:Triggers:PubSub:Google:Subscriptions:0:project is required (the Google Cloud project of the subscription)",
            "Mizzen:Triggers:PubSub:Google:Subscriptions:0:messageFormat 'jinja' is not one of GCR, GCS, GCB, CUSTOM",
            "Mizzen:Triggers:PubSub:Google:Subscriptions:0:ackDeadlineSeconds must be between 1 and 600 (Pub/Sub's limits), not 0",
            "Mizzen:Triggers:PubSub:Google:Subscriptions:1:name 'IMAGES' is used by another subscription",
            "Mizzen:Triggers:PubSub:Google:Subscriptions:1:jsonPath '/nonexistent/key.json' is not a file (a service-account key in JSON)",
            "Mizzen:Triggers:PubSub:Google:Subscriptions:1:endpoint 'ftp://x' is not an http(s) URL",
        ]);
    }

    [Fact]
    public void The_endpoint_is_the_configured_one_else_the_emulator_host_variable_else_Google()
    {
        var configured = new GooglePubSubSubscription { Endpoint = "http://127.0.0.1:8085" };
        var unset = new GooglePubSubSubscription();
        var before = Environment.GetEnvironmentVariable("PUBSUB_EMULATOR_HOST");
        try
        {
            Environment.SetEnvironmentVariable("PUBSUB_EMULATOR_HOST", null);
            GooglePubSubClient.EndpointOf(unset).ShouldBe(new Uri("https://pubsub.googleapis.com/"));
            Environment.SetEnvironmentVariable("PUBSUB_EMULATOR_HOST", "localhost:8681");
            GooglePubSubClient.EndpointOf(unset).ShouldBe(new Uri("http://localhost:8681/"));
            GooglePubSubClient.EndpointOf(configured).ShouldBe(new Uri("http://127.0.0.1:8085/"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PUBSUB_EMULATOR_HOST", before);
        }
    }
}
