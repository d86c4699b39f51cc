using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Expressions;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Orchestration.Validation;

public sealed partial class PipelineValidator
{
    /// <summary>
    /// Validates without a server (the CLI's <c>pipeline validate</c>): the same stage catalogue and expression checker
    /// as the server, in a throw-away container. <paramref name="addStageTypes"/> adds stage types (and trigger validations) from other components.
    /// Returns errors and warnings (<see cref="ValidationProblem.Severity"/>); cloud providers are checked against
    /// <see cref="ShippedCloudProviders"/>, since there is no server to say which accounts exist.
    /// No store is registered: validation reads only the stage catalogue and the expression checker, and stage definitions
    /// reach the engine's stores only while a run executes. The expression functions that read stored data
    /// (<c>#pipelineId</c>, <c>#applicationMetadata</c>, ...) are therefore checked for syntax and arguments, and fail with
    /// "not available" if anything evaluates them here.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> ValidateOffline(string json, Action<IServiceCollection>? addStageTypes = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.None));
        services.AddMizzenExpressions();
        services.AddMizzenEngine(startWorker: false);
        services.AddCoreStages();
        services.AddServerGroupStages();
        services.AddSingleton<OfflineValidation>();
        addStageTypes?.Invoke(services);
        using var provider = services.BuildServiceProvider();
        return new PipelineValidator(provider.GetRequiredService<StageCatalog>(), provider.GetRequiredService<Core.Expressions.IExpressionEvaluator>(),
                triggerTypes: provider.GetServices<ITriggerValidation>(), notificationTypes: provider.GetServices<INotificationValidation>())
            .CheckFile(json);
    }
}
