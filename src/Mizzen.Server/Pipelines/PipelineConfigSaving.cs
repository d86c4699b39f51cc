using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Validation;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Server.Pipelines;

/// <summary>
/// Checking and saving a pipeline config, shared by <c>POST /pipelines</c>, <c>POST /pipelines/validate</c> and the UI's config editor,
/// so the editor lists exactly the problems the API answers and saves under exactly its rules.
/// </summary>
public static class PipelineConfigSaving
{
    /// <summary>Errors and warnings of <paramref name="text"/>: broken JSON is one error naming its line and column.</summary>
    public static (IReadOnlyList<ValidationProblem> Errors, IReadOnlyList<ValidationProblem> Warnings) Validate(PipelineValidator validator, string text)
    {
        JsonInputResult<JsonObject> input;
        try
        {
            input = JsonInput.ParseObject(text, "a pipeline config");
        }
        catch (ValidationException e)
        {
            return (e.Problems, []);
        }

        var problems = Check(validator, input.Root);
        return ([.. problems.Where(p => p.IsError)], [.. input.Warnings, .. problems.Where(p => !p.IsError)]);
    }

    /// <summary>Saves <paramref name="input"/> as a new revision; throws <see cref="ValidationException"/> (nothing saved) when it has errors.</summary>
    public static async Task<(PipelineConfig Saved, IReadOnlyList<ValidationProblem> Warnings)> SaveAsync(
        PipelineValidator validator, IApplicationStore applications, IPipelineConfigStore store, JsonInputResult<JsonObject> input, string user, CancellationToken ct)
    {
        var problems = Check(validator, input.Root);
        if (problems.Any(p => p.IsError))
        {
            throw new ValidationException([.. problems.Where(p => p.IsError)]);
        }

        var config = new PipelineConfig(input.Root);
        if (await applications.GetAsync(config.Application, ct) is null)
        {
            throw new ValidationException("application", $"application '{config.Application}' does not exist; create it first (POST /applications)");
        }

        await store.SaveAsync(config, user, ct);
        return ((await store.GetAsync(config.Id!, ct))!, [.. input.Warnings, .. problems.Where(p => !p.IsError)]);
    }

    /// <summary>A config as people compare it: indented, without the fields every save changes, credential headers redacted.</summary>
    public static string Pretty(JsonObject json)
    {
        var copy = json.DeepClone().AsObject();
        CredentialHeaders.RedactInPlace(copy);
        copy.Remove("updateTs");
        copy.Remove("lastModifiedBy");
        return copy.ToJsonString(MizzenJson.Indented);
    }

    /// <summary>The validator's errors and warnings (it may annotate what it reads, so it gets a copy).</summary>
    private static IReadOnlyList<ValidationProblem> Check(PipelineValidator validator, JsonObject pipeline) =>
        validator.Check(pipeline.DeepClone().AsObject());
}
