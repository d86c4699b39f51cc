using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Validation;
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
        services.AddTriggerValidation();
        services.AddTriggerType<WebhookTriggerType>();
        return services;
    }

    /// <summary>Only what pipeline validation needs to know of the trigger types (the CLI's offline <c>pipeline validate</c>).</summary>
    public static IServiceCollection AddTriggerValidation(this IServiceCollection services)
    {
        services.TryAddSingleton<WebhookTriggerType>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITriggerValidation, WebhookTriggerType>(sp => sp.GetRequiredService<WebhookTriggerType>()));
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
