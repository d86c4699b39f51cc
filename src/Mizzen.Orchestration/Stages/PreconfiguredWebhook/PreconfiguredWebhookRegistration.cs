using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Expressions;
using Mizzen.Core.Secrets;

namespace Mizzen.Orchestration.Stages.PreconfiguredWebhook;

public static class PreconfiguredWebhookRegistration
{
    /// <summary>
    /// One stage type per entry of <c>Mizzen:Webhooks:Preconfigured</c>, and <see cref="PreconfiguredWebhooks"/>. Entries are read
    /// here, once (settings are read at start): an entry that cannot be a stage type throws, naming it, so the server does not start.
    /// Needs <see cref="StageTypes.AddCoreStages"/> (the webhook tasks) and, for secrets, an <see cref="ISecretStore"/>.
    /// </summary>
    public static IServiceCollection AddPreconfiguredWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var hooks = configuration.GetSection(PreconfiguredWebhookOptions.SectionName).GetChildren()
            .Select((section, index) => PreconfiguredWebhook.FromJson(ConfigurationJson.ToJson(section) as JsonObject ?? [], index))
            .ToList();
        var duplicate = hooks.GroupBy(h => h.Type, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{PreconfiguredWebhookOptions.SectionName}: type '{duplicate.Key}' is defined twice");
        }

        foreach (var hook in hooks)
        {
            services.AddSingleton<IStageDefinition>(sp => new PreconfiguredWebhookStage(hook, sp.GetService<ISecretStore>()));
        }

        services.AddSingleton(sp => new PreconfiguredWebhooks(hooks, sp.GetRequiredService<IExpressionEvaluator>(),
            sp.GetServices<IStageDefinition>(), sp.GetService<ISecretStore>()));
        return services;
    }
}
