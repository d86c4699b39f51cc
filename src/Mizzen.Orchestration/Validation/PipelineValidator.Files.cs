using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Validation;

public sealed partial class PipelineValidator
{
    /// <summary>
    /// Checks a file as Spinnaker's tools write them: one pipeline config, a list of them (Gate's
    /// <c>/applications/{app}/pipelineConfigs</c> export) or an Armory dinghyfile (<c>{"application", "pipelines": [...]}</c>,
    /// whose pipelines take the file's application when they name none). In a list, each problem's location starts
    /// with the pipeline's place: <c>[2].stages[0].type</c>, <c>pipelines[0].name</c>.
    /// </summary>
    public IReadOnlyList<ValidationProblem> CheckFile(string json)
    {
        JsonInputResult parsed;
        try
        {
            parsed = JsonInput.Parse(json);
        }
        catch (ValidationException e)
        {
            return e.Problems;
        }

        var problems = new List<ValidationProblem>(parsed.Warnings);
        switch (parsed.Root)
        {
            case JsonArray list:
                CheckEach(list, "", null, problems);
                break;
            case JsonObject dinghy when dinghy["pipelines"] is JsonArray pipelines && dinghy["stages"] is null:
                CheckEach(pipelines, "pipelines", dinghy["application"].AsString(), problems);
                break;
            case JsonObject pipeline:
                problems.AddRange(Check(pipeline));
                break;
            default:
                problems.Add(new("", "a pipeline file must hold a pipeline config (a JSON object) or a list of them"));
                break;
        }

        return problems;
    }

    private void CheckEach(JsonArray pipelines, string prefix, string? application, List<ValidationProblem> problems)
    {
        if (pipelines.Count == 0)
        {
            problems.Add(new(prefix, "the file holds an empty list: there is no pipeline in it"));
        }

        for (var i = 0; i < pipelines.Count; i++)
        {
            var at = $"{prefix}[{i}]";
            if (pipelines[i] is not JsonObject pipeline)
            {
                problems.Add(new(at, "a pipeline config must be a JSON object"));
                continue;
            }

            if (application is not null && pipeline["application"] is null)
            {
                pipeline = pipeline.DeepClone().AsObject();
                pipeline["application"] = application;
            }

            problems.AddRange(Check(pipeline).Select(p => p with { Location = p.Location.Length == 0 ? at : $"{at}.{p.Location}" }));
        }
    }
}
