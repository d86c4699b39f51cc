using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Validation;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Server.Demo;

/// <summary>
/// Saves every <see cref="IDemoPipeline"/> through the same validator and store as <c>POST /pipelines</c>; a pipeline whose name already
/// exists is left alone (a second start changes nothing the user may have edited).
/// </summary>
internal sealed partial class DemoPipelineSaver(
    IEnumerable<IDemoPipeline> pipelines, PipelineValidator validator, IPipelineConfigStore store, ILogger<DemoPipelineSaver> logger)
{
    public const string User = "mizzen-demo";

    public async Task SaveAsync(DemoEnvironment environment, CancellationToken cancellationToken)
    {
        foreach (var pipeline in pipelines)
        {
            if (await store.FindByNameAsync(DemoEnvironment.Application, pipeline.Name, cancellationToken) is not null)
            {
                continue;
            }

            var json = pipeline.Build(environment);
            json["application"] = DemoEnvironment.Application;
            json["name"] = pipeline.Name;
            var problems = validator.Validate(json);
            if (problems.Count > 0)
            {
                LogInvalid(pipeline.Name, string.Join("; ", problems));
                continue;
            }

            await store.SaveAsync(new PipelineConfig(json), User, cancellationToken);
            LogSaved(pipeline.Name);
        }
    }

    [LoggerMessage(EventId = 8121, Level = LogLevel.Information, Message = "Demo: saved pipeline '{Name}'")]
    private partial void LogSaved(string name);

    [LoggerMessage(EventId = 8122, Level = LogLevel.Error, Message = "Demo: pipeline '{Name}' is not valid and was not saved: {Problems}")]
    private partial void LogInvalid(string name, string problems);
}
