using System.Text.Json;
using Mizzen.Canary;
using Mizzen.Canary.Configs;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Canary;

/// <summary>
/// Checking and saving a canary config, shared by <c>POST</c> / <c>PUT /v2/canaries/canaryConfig</c> and the UI's config editor, so the
/// editor lists exactly the problems the API answers (each with its JSON path) and saves under exactly its rules.
/// </summary>
public static class CanaryConfigSaving
{
    /// <summary>Errors and warnings of <paramref name="text"/>: broken JSON is one error naming its line and column.</summary>
    public static (IReadOnlyList<ValidationProblem> Errors, IReadOnlyList<ValidationProblem> Warnings) Validate(string text)
    {
        IReadOnlyList<CanaryConfigIssue> issues;
        try
        {
            issues = CanaryConfigValidator.Validate(CanaryConfigJson.Parse(text));
        }
        catch (CanaryConfigException e)
        {
            issues = e.Issues;
        }

        return ([.. issues.Where(i => i.Severity == CanaryConfigIssueSeverity.Error).Select(Problem)],
                [.. issues.Where(i => i.Severity == CanaryConfigIssueSeverity.Warning).Select(i => Problem(i) with { Severity = ValidationSeverity.Warning })]);
    }

    /// <summary>Creates a config from <paramref name="text"/> (<c>POST</c>): the application is <paramref name="application"/> or the config's first.
    /// Throws (nothing saved) when the config has errors or its id is taken.</summary>
    public static async Task<StoredCanaryConfig> CreateAsync(
        ICanaryConfigStore store, string? application, string text, string user, CancellationToken cancellationToken,
        Func<string, CancellationToken, ValueTask>? authorize = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var config = CanaryConfigJson.Load(text).Config;
        var app = ApplicationOf(application, config);
        if (authorize is not null)
        {
            await authorize(app, cancellationToken); // WRITE on the application the config goes to, before anything is stored
        }

        if (config.Id is { Length: > 0 } id && await store.FindAsync(id, cancellationToken) is not null)
        {
            throw new ConflictException($"canary config '{id}' already exists; use PUT /v2/canaries/canaryConfig/{id} to change it");
        }

        return await store.SaveAsync(app, config, user, cancellationToken);
    }

    /// <summary>Saves <paramref name="text"/> as the next revision of config <paramref name="id"/> (<c>PUT</c>), in the application that holds it;
    /// an id in the text is replaced by <paramref name="id"/>, as Kayenta does.</summary>
    public static async Task<StoredCanaryConfig> UpdateAsync(ICanaryConfigStore store, string id, string text, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var existing = await store.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"canary config '{id}' does not exist");
        var config = CanaryConfigJson.Load(text).Config;
        config.Id = id;
        return await store.SaveAsync(existing.Application, config, user, cancellationToken);
    }

    /// <summary>A stored config as the API serves it: with its id and applications filled in.</summary>
    public static CanaryConfig Stamped(StoredCanaryConfig stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        stored.Config.Id = stored.Id;
        stored.Config.Applications ??= [stored.Application];
        return stored.Config;
    }

    /// <summary>A starting point for a new config (the UI's "New config"): one metric of the local provider's own metrics, in one group.</summary>
    public static string NewConfigTemplate(string? application) => $$"""
        {
          "name": "my-canary",
          "applications": [{{JsonSerializer.Serialize(application ?? "my-application")}}],
          "judge": { "name": "{{CanaryConfigValidator.SupportedJudge}}" },
          "metrics": [
            {
              "name": "error_rate",
              "query": { "type": "embedded", "metricName": "error_rate" },
              "groups": [ "errors" ],
              "analysisConfigurations": { "canary": { "direction": "increase", "critical": true } }
            }
          ],
          "classifier": { "groupWeights": { "errors": 100 } }
        }
        """;

    private static string ApplicationOf(string? application, CanaryConfig config)
    {
        var name = string.IsNullOrEmpty(application) ? config.Applications?.FirstOrDefault() : application;
        return name switch
        {
            null => throw new ValidationException("applications", "give the application: ?application=NAME or \"applications\": [\"NAME\"] in the config"),
            _ when !Core.Model.Application.IsValidName(name) => throw new ValidationException(
                string.IsNullOrEmpty(application) ? "applications[0]" : "application",
                $"'{name}' is not an application name: use letters, digits, '-', '_' or '.'"),
            _ => name,
        };
    }

    private static ValidationProblem Problem(CanaryConfigIssue issue) => new(issue.Path == "$" ? "" : issue.Path, issue.Message);
}
