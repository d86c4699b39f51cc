using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mizzen.Orchestration.Validation;
using Mizzen.Triggers;
using Mizzen.Orchestration.Engine;
using Mizzen.Triggers.Cron;
using Mizzen.Triggers.Docker;
using Mizzen.Triggers.Git;
using Mizzen.Triggers.Jenkins;
using Mizzen.Triggers.Pipeline;
using Mizzen.Triggers.Polling;
using Mizzen.Triggers.PubSub;
using Mizzen.Triggers.Webhook;

namespace Microsoft.Extensions.DependencyInjection;

public static class TriggerServiceCollectionExtensions
{
    /// <summary>
    /// The trigger index, dispatcher and status store, with the trigger types built in (webhook, cron, pipeline, git); with
    /// <paramref name="startSchedulers"/>, the background services that fire them (the cron scheduler).
    /// </summary>
    public static IServiceCollection AddMizzenTriggers(this IServiceCollection services, bool startSchedulers = true)
    {
        services.TryAddSingleton<TriggerIndex>();
        services.TryAddSingleton<TriggerStatusStore>();
        services.TryAddSingleton<TriggerDispatcher>();
        services.TryAddSingleton<TriggerOverview>();
        services.AddTriggerValidation();
        services.AddTriggerType<WebhookTriggerType>();
        services.AddTriggerType<CronTriggerType>();
        services.AddTriggerType<PipelineTriggerType>();
        services.AddTriggerType<GitTriggerType>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExecutionFinishedListener, PipelineTriggerListener>());
        services.AddMizzenNotifications();
        services.TryAddSingleton<CronScheduler>();
        services.AddTriggerType<DockerTriggerType>();
        services.AddTriggerType<JenkinsTriggerType>();
        services.TryAddSingleton<PollStateStore>();
        services.TryAddSingleton<PollFailures>();
        services.AddHttpClient(DockerMonitor.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(JenkinsMonitor.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton<DockerMonitor>();
        services.TryAddSingleton<JenkinsMonitor>();
        if (startSchedulers)
        {
            services.AddHostedService(sp => sp.GetRequiredService<CronScheduler>());
            services.AddHostedService(sp => sp.GetRequiredService<DockerMonitor>());
            services.AddHostedService(sp => sp.GetRequiredService<JenkinsMonitor>());
        }

        services.AddTriggerType<PubSubTriggerType>();
        services.AddHttpClient(GooglePubSubClient.HttpClientName, (sp, client) =>
            client.Timeout = sp.GetRequiredService<IOptions<GooglePubSubOptions>>().Value.PullWait + TimeSpan.FromSeconds(30));
        services.TryAddSingleton<GooglePubSubClient>();
        services.TryAddSingleton<GooglePubSubSubscriber>();
        if (startSchedulers)
        {
            services.AddHostedService(sp => sp.GetRequiredService<GooglePubSubSubscriber>()); // returns at once when no subscription is configured
        }

        return services;
    }

    /// <summary>Only what pipeline validation needs to know of the trigger types (the CLI's offline <c>pipeline validate</c>).</summary>
    public static IServiceCollection AddTriggerValidation(this IServiceCollection services)
    {
        services.AddOptions<CronOptions>(); // the server binds Mizzen:Triggers:Cron
        services.AddOptions<DockerTriggerOptions>().Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(DockerTriggerOptions.SectionName).Bind(o));
        services.AddOptions<JenkinsTriggerOptions>().Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(JenkinsTriggerOptions.SectionName).Bind(o));
        services.TryAddSingleton<WebhookTriggerType>();
        services.TryAddSingleton<CronTriggerType>();
        services.TryAddSingleton<PipelineTriggerType>();
        services.TryAddSingleton<GitTriggerType>();
        services.TryAddSingleton<DockerTriggerType>();
        services.TryAddSingleton<JenkinsTriggerType>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, DockerTriggerType>(sp => sp.GetRequiredService<DockerTriggerType>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, JenkinsTriggerType>(sp => sp.GetRequiredService<JenkinsTriggerType>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, WebhookTriggerType>(sp => sp.GetRequiredService<WebhookTriggerType>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, CronTriggerType>(sp => sp.GetRequiredService<CronTriggerType>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, PipelineTriggerType>(sp => sp.GetRequiredService<PipelineTriggerType>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, GitTriggerType>(sp => sp.GetRequiredService<GitTriggerType>()));
        services.AddNotificationValidation();
        services.AddOptions<GooglePubSubOptions>().ValidateOnStart(); // the server binds Mizzen:Triggers:PubSub:Google
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GooglePubSubOptions>, GooglePubSubOptionsValidator>());
        services.TryAddSingleton<PubSubTriggerType>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, PubSubTriggerType>(sp => sp.GetRequiredService<PubSubTriggerType>()));
        return services;
    }

    public static IServiceCollection AddTriggerType<T>(this IServiceCollection services)
        where T : class, ITriggerType
    {
        services.TryAddSingleton<T>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerType, T>(sp => sp.GetRequiredService<T>()));
        return services;
    }
}
