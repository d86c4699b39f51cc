using Microsoft.Extensions.Options;

namespace Mizzen.Triggers.PubSub;

/// <summary>
/// <c>Mizzen:Triggers:PubSub:Google</c>: the Google Pub/Sub subscriptions Mizzen pulls, in echo's shape (<c>pubsub.google.subscriptions</c>),
/// so a Halyard/echo configuration translates field for field. Triggers name a subscription by its <see cref="GooglePubSubSubscription.Name"/>.
/// </summary>
public sealed class GooglePubSubOptions
{
    public const string SectionName = "Mizzen:Triggers:PubSub:Google";

    public List<GooglePubSubSubscription> Subscriptions { get; set; } = [];

    /// <summary>Messages asked for per pull (Pub/Sub's <c>maxMessages</c>), dispatched one after another, then acknowledged together.</summary>
    public int MaxMessages { get; set; } = 10;

    /// <summary>
    /// How long one pull waits for messages (a long pull; Pub/Sub answers as soon as any arrive). After it the pull is abandoned and a new one
    /// sent: the emulator holds a pull open for ever, and a connection silently dropped is noticed within this time.
    /// </summary>
    public TimeSpan PullWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after a failed pull (unreachable, 403, no such subscription); it doubles with each failure in a row, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    public GooglePubSubSubscription? Find(string? name) =>
        Subscriptions.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One pull subscription (echo's <c>GooglePubsubSubscription</c>).</summary>
public sealed class GooglePubSubSubscription
{
    /// <summary>The name triggers use as <c>subscriptionName</c> (echo's logical name, not Pub/Sub's).</summary>
    public string Name { get; set; } = "";

    /// <summary>The Google Cloud project that owns the subscription.</summary>
    public string Project { get; set; } = "";

    /// <summary>The subscription's id in Pub/Sub (<c>projects/{project}/subscriptions/{subscriptionName}</c>).</summary>
    public string SubscriptionName { get; set; } = "";

    /// <summary>
    /// A service-account key file (JSON). Without one: no credentials towards an <c>http://</c> endpoint (the emulator), Google's
    /// application-default credentials towards an <c>https://</c> one. The key's contents are never logged or shown.
    /// </summary>
    public string? JsonPath { get; set; }

    /// <summary><c>GCR</c>, <c>GCS</c>, <c>GCB</c> or <c>CUSTOM</c> (the default): how artifacts are read from a message (<see cref="MessageArtifacts"/>).</summary>
    public string MessageFormat { get; set; } = "CUSTOM";

    /// <summary>
    /// How long a pulled message stays leased to Mizzen before Pub/Sub hands it out again (set on each pulled message, extended while its
    /// dispatch runs). A message whose dispatch failed is not acknowledged, so it comes back after this.
    /// </summary>
    public int AckDeadlineSeconds { get; set; } = 10;

    /// <summary>The Pub/Sub API root; default Google's, or <c>http://$PUBSUB_EMULATOR_HOST</c> when that variable is set.</summary>
    public string? Endpoint { get; set; }

    public string Path => $"projects/{Project}/subscriptions/{SubscriptionName}";
}

/// <summary>Refuses to start with a subscription that could never be pulled, naming the setting.</summary>
public sealed class GooglePubSubOptionsValidator : IValidateOptions<GooglePubSubOptions>
{
    public static readonly IReadOnlyList<string> MessageFormats = ["GCR", "GCS", "GCB", "CUSTOM"];

    public ValidateOptionsResult Validate(string? name, GooglePubSubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = GooglePubSubOptions.SectionName;
        if (options.MaxMessages is < 1 or > 1000)
        {
            failures.Add($"{section}:MaxMessages must be between 1 and 1000, not {options.MaxMessages}");
        }

        if (options.PullWait <= TimeSpan.Zero || options.RetryDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryDelay)
        {
            failures.Add($"{section}: PullWait and RetryDelay must be positive, and RetryMaxDelay at least RetryDelay");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Subscriptions.Count; i++)
        {
            var s = options.Subscriptions[i];
            var at = $"{section}:Subscriptions:{i}";
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                failures.Add($"{at}:name is required (triggers refer to it as subscriptionName)");
            }
            else if (!names.Add(s.Name))
            {
                failures.Add($"{at}:name '{s.Name}' is used by another subscription");
            }

            if (string.IsNullOrWhiteSpace(s.Project))
            {
                failures.Add($"{at}:project is required (the Google Cloud project of the subscription)");
            }

            if (string.IsNullOrWhiteSpace(s.SubscriptionName))
            {
                failures.Add($"{at}:subscriptionName is required (the subscription's id in Pub/Sub)");
            }

            if (!MessageFormats.Contains(s.MessageFormat, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{at}:messageFormat '{s.MessageFormat}' is not one of {string.Join(", ", MessageFormats)}");
            }

            if (s.AckDeadlineSeconds is < 1 or > 600)
            {
                failures.Add($"{at}:ackDeadlineSeconds must be between 1 and 600 (Pub/Sub's limits), not {s.AckDeadlineSeconds}");
            }

            if (!string.IsNullOrEmpty(s.JsonPath) && !File.Exists(s.JsonPath))
            {
                failures.Add($"{at}:jsonPath '{s.JsonPath}' is not a file (a service-account key in JSON)");
            }

            if (!string.IsNullOrEmpty(s.Endpoint) && !(Uri.TryCreate(s.Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                failures.Add($"{at}:endpoint '{s.Endpoint}' is not an http(s) URL");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
