using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Expressions;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence;

namespace Mizzen.Orchestration.Validation;

public sealed partial class PipelineValidator
{
    /// <summary>
    /// Validates without a server (the CLI's <c>pipeline validate</c>): the same stage catalogue and expression checker
    /// as the server, in a throw-away container. <paramref name="addStageTypes"/> adds stage types from other components.
    /// Returns errors and warnings (<see cref="ValidationProblem.Severity"/>); cloud providers are checked against
    /// <see cref="ShippedCloudProviders"/>, since there is no server to say which accounts exist.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> ValidateOffline(string json, Action<IServiceCollection>? addStageTypes = null)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "mizzen-validate-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.None));
        services.Configure<StorageOptions>(o => o.DataFolder = scratch);
        services.AddSqliteStore();
        services.AddMizzenExpressions();
        services.AddMizzenEngine(startWorker: false);
        services.AddCoreStages();
        services.AddServerGroupStages();
        addStageTypes?.Invoke(services);
        try
        {
            using var provider = services.BuildServiceProvider();
            return new PipelineValidator(provider.GetRequiredService<StageCatalog>(), provider.GetRequiredService<Core.Expressions.IExpressionEvaluator>())
                .CheckFile(json);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
