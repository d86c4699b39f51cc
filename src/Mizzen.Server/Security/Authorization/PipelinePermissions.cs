using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// What saving a pipeline config demands (front50 and fiat): WRITE on its application, and for each trigger's <c>runAsUser</c> a service
/// account the saver may use (403 naming the trigger otherwise) that may itself EXECUTE the application (400: such a trigger could never
/// start a run). The REST API and the UI's editor both call it before saving.
/// </summary>
public static class PipelinePermissions
{
    public static async Task DemandSaveAsync(PermissionEvaluator evaluator, Caller caller, JsonObject pipeline, CancellationToken cancellationToken)
    {
        if (!evaluator.Enabled || pipeline["application"].AsString() is not { Length: > 0 } application)
        {
            return; // the validator names a missing application
        }

        await evaluator.DemandApplicationAsync(caller, application, Access.Write, cancellationToken);
        if (pipeline["triggers"] is not JsonArray triggers)
        {
            return;
        }

        for (var i = 0; i < triggers.Count; i++)
        {
            if (triggers[i] is not JsonObject trigger || trigger["runAsUser"].AsString() is not { Length: > 0 } runAs)
            {
                continue;
            }

            var location = $"triggers[{i}].runAsUser";
            if (evaluator.ServiceAccountDenial(caller, runAs, location) is { } denial)
            {
                throw new ForbiddenException(denial);
            }

            var account = await evaluator.ForUserAsync(runAs, cancellationToken);
            if (await evaluator.ApplicationDenialAsync(account, application, Access.Execute, cancellationToken) is { } cannot)
            {
                throw new ValidationException(location, $"service account '{runAs}' cannot start runs of this pipeline: {cannot}");
            }
        }
    }
}
