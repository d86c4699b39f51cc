using Mizzen.Canary;
using Mizzen.Canary.Configs;
using Mizzen.Core.Errors;
using Mizzen.Expressions;
using Mizzen.Orchestration.Stages.Webhook;
using Mizzen.Persistence.Queue;
using Mizzen.Providers.Local.Bundles;
using Mizzen.Server.Errors;

namespace Mizzen.Server.Tests.Api;

/// <summary>Every component's errors share one root, which the HTTP edge maps by kind (the table in docs/api.md).</summary>
public sealed class ErrorModelTests
{
    private static readonly (MizzenException Error, int Status, bool Transient)[] Errors =
    [
        (new ValidationException("stages[0].type", "required"), 400, false),
        (new NotFoundException("execution x does not exist"), 404, false),
        (new ConflictException("already judged"), 409, false),
        (new ForbiddenException("no EXECUTE on shop"), 403, false),
        (new CanaryConfigException("bad", [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, "id", "must not contain '/'")]), 400, false),
        (new MetricsFetchException("Prometheus did not answer", isTransient: true), 502, true),
        (new MetricsFetchException("Prometheus rejected the query", isTransient: false), 502, false),
        (new WebhookRequestException("POST http://x timed out", isTransient: true), 502, true),
        (new ExpressionSyntaxException("unexpected end", 3), 400, false),
        (new ExpressionLimitExceededException("too long"), 400, false),
        (new BundleException("no such bundle"), 400, false),
        (new BundleException("download failed", isTransient: true), 502, true),
        (new LeaseLostException(new QueueMessage(1, "RunTask", "{}", 0, 1, "lease")), 500, true),
    ];

    [Fact]
    public void Each_error_answers_with_the_status_of_its_kind_and_says_whether_it_is_transient()
    {
        foreach (var (error, status, transient) in Errors)
        {
            ProblemResults.StatusOf(error.Kind).ShouldBe(status, $"{error.GetType().Name}: {error.Message}");
            error.IsTransient.ShouldBe(transient, $"{error.GetType().Name}: {error.Message}");
        }
    }

    [Fact]
    public void A_canary_config_error_names_each_field_that_is_wrong_and_leaves_out_the_warnings()
    {
        var error = new CanaryConfigException("bad", [
            new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, "metrics[0].name", "is required"),
            new CanaryConfigIssue(CanaryConfigIssueSeverity.Warning, "name", "is missing"),
        ]);
        error.Problems.ShouldBe([new ValidationProblem("metrics[0].name", "is required")]);
    }
}
