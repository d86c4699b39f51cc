using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Stages.PreconfiguredWebhook;

namespace Mizzen.Orchestration.Tests.Stages.PreconfiguredWebhook;

/// <summary>What a pipeline may put in a preconfigured stage: its parameters, and never a secret reference that would borrow the operator's right to any secret.</summary>
public sealed class PreconfiguredWebhookStageTests
{
    private static readonly Mizzen.Orchestration.Stages.PreconfiguredWebhook.PreconfiguredWebhook Hook = Mizzen.Orchestration.Stages.PreconfiguredWebhook.PreconfiguredWebhook.FromJson(
        MizzenJson.ParseObject("""
            {"type": "teletraanDeploy", "label": "Teletraan: deploy", "url": "https://teletraan.example/v1/envs/${parameterValues.env}/deploys",
             "customHeaders": {"Authorization": "token ${secret:teletraan-token}"},
             "parameters": [{"name": "env", "label": "Environment"}, {"name": "stage", "defaultValue": "prod"}]}
            """), 0);

    [Fact]
    public void A_secret_reference_in_parameter_values_is_refused_on_save_and_at_run_time()
    {
        var problems = new PreconfiguredWebhookStage(Hook).Validate(
            MizzenJson.ParseObject("""{"parameterValues": {"env": "x-${secret:teletraan-token}"}}"""), "stages[0]").Select(p => p.ToString()).ToList();

        problems.Where(p => p.StartsWith("stages[0].parameterValues", StringComparison.Ordinal))
            .ShouldBe([$"stages[0].parameterValues.env: {PreconfiguredWebhooks.SecretInParameter}"]);
        problems.ShouldContain("stages[0]: 'teletraanDeploy' cannot run: secret 'teletraan-token' cannot be resolved: no secret store is configured");
        Should.Throw<SecretNotFoundException>(() => PreconfiguredWebhooks.ParameterValues(Hook, new JsonObject { ["env"] = "${secret:teletraan-token}" }))
            .Message.ShouldBe(PreconfiguredWebhooks.SecretInParameter);
    }

    [Fact]
    public void Defaults_fill_missing_parameters_and_a_bad_entry_names_its_setting()
    {
        PreconfiguredWebhooks.ParameterValues(Hook, new JsonObject { ["env"] = "shop" }).ToJsonString().ShouldBe("""{"env":"shop","stage":"prod"}""");
        Should.Throw<ArgumentException>(() => Mizzen.Orchestration.Stages.PreconfiguredWebhook.PreconfiguredWebhook.FromJson(
                MizzenJson.ParseObject("""{"type": "x", "url": "https://a.example/", "headers": {}}"""), 2))
            .Message.ShouldStartWith("Mizzen:Webhooks:Preconfigured:2:headers: not a webhook setting");
    }
}
