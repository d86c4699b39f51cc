using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages.Webhook;
using Mizzen.Orchestration.Validation;
using Mizzen.Triggers.Notifications;

namespace Microsoft.Extensions.DependencyInjection;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Pipeline and stage notifications (echo's notification agents): the lifecycle listener the engine tells, and the channels
    /// <c>email</c>, <c>slack</c> and <c>webhook</c>. The server binds <see cref="NotificationOptions"/> from <c>Mizzen:Notifications</c>.
    /// A channel of another type can be added with <c>TryAddEnumerable</c> of an <see cref="INotificationChannel"/>.
    /// </summary>
    public static IServiceCollection AddMizzenNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookHttpClient>();
        services.AddHttpClient(NotificationHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        services.TryAddSingleton<NotificationHttp>();
        services.TryAddSingleton<NotificationText>();
        services.TryAddSingleton<NotificationDeliveries>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, EmailNotificationChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, SlackNotificationChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, WebhookNotificationChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExecutionLifecycleListener, NotificationLifecycleListener>());
        return services;
    }

    /// <summary>What pipeline validation needs to know of the notification types Mizzen sends.</summary>
    public static IServiceCollection AddNotificationValidation(this IServiceCollection services)
    {
        foreach (var type in (string[])["email", "slack", "webhook"])
        {
            if (!services.Any(d => d.ServiceType == typeof(INotificationValidation) && d.ImplementationInstance is NotificationValidation v && v.Type == type))
            {
                services.AddSingleton<INotificationValidation>(new NotificationValidation(type));
            }
        }

        return services;
    }
}
