using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mizzen.Core.Expressions;
using Mizzen.Expressions.Functions;

namespace Mizzen.Expressions;

public static class ExpressionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SpelExpressionEvaluator"/> as <see cref="IExpressionEvaluator"/> (singleton, TryAdd so a host can
    /// replace it). Every registered <see cref="IExpressionFunctionProvider"/> adds functions; <see cref="IPipelineConfigLookup"/>,
    /// <see cref="IApplicationLookup"/> and <see cref="ICanaryConfigLookup"/> are used when registered.
    /// </summary>
    public static IServiceCollection AddMizzenExpressions(this IServiceCollection services, Action<ExpressionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ExpressionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new SpelExpressionEvaluator(
            provider.GetRequiredService<IOptions<ExpressionOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetServices<IExpressionFunctionProvider>(),
            provider.GetService<IPipelineConfigLookup>(),
            provider.GetService<IApplicationLookup>(),
            provider.GetService<ICanaryConfigLookup>()));
        services.TryAddSingleton<IExpressionEvaluator>(provider => provider.GetRequiredService<SpelExpressionEvaluator>());
        return services;
    }
}
