using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Triggers;
using Mizzen.Triggers.Webhook;

namespace Microsoft.Extensions.DependencyInjection;

public static class TriggerServiceCollectionExtensions
{
    /// <summary>The trigger index, dispatcher and status store, with the trigger types built in (webhook).</summary>
    public static IServiceCollection AddMizzenTriggers(this IServiceCollection services)
    {
        services.TryAddSingleton<TriggerIndex>();
        services.TryAddSingleton<TriggerStatusStore>();
        services.TryAddSingleton<TriggerDispatcher>();
        services.AddTriggerType<WebhookTriggerType>();
        return services;
    }

    public static IServiceCollection AddTriggerType<T>(this IServiceCollection services)
        where T : class, ITriggerType
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerType, T>());
        return services;
    }
}
