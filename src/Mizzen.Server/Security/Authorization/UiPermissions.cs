using Microsoft.AspNetCore.Components.Authorization;
using Mizzen.Core.Model;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// The UI's view of permissions: who the page's user is (the principal Blazor has for the request or the live circuit) and what
/// <see cref="PermissionEvaluator"/> — the same one the REST routes use — lets it do, so a page hides or disables what would be refused.
/// The services the UI calls (<c>IExecutionRunner</c>) check again with the user name passed to them.
/// </summary>
public sealed class UiPermissions(IServiceProvider services, PermissionEvaluator evaluator)
{
    private Caller? caller;

    public async Task<Caller> CallerAsync()
    {
        if (caller is null)
        {
            var authentication = services.GetService<AuthenticationStateProvider>();
            var principal = authentication is null ? new System.Security.Claims.ClaimsPrincipal() : (await authentication.GetAuthenticationStateAsync()).User;
            caller = evaluator.For(principal);
        }

        return caller;
    }

    /// <summary>The name the UI acts as: the signed-in user; <c>anonymous</c> with authentication off (as before).</summary>
    public async Task<string> UserAsync() => evaluator.Enabled ? (await CallerAsync()).Name : Users.Anonymous;

    /// <summary>Why the user may not take an action needing <paramref name="access"/> on <paramref name="application"/>; null when it may.</summary>
    public async Task<string?> WhyNotAsync(string application, Access access) =>
        await evaluator.ApplicationDenialAsync(await CallerAsync(), application, access, CancellationToken.None);

    /// <summary>Why the user may not judge <paramref name="stage"/> of <paramref name="execution"/> (EXECUTE, then the stage's judgment roles).</summary>
    public async Task<string?> WhyNotJudgeAsync(PipelineExecution execution, StageExecution stage) =>
        await WhyNotAsync(execution.Application, Access.Execute) ?? AuthorizingExecutionRunner.JudgmentDenial(await CallerAsync(), stage);

    /// <summary>Why the user may not take an action needing <paramref name="access"/> on account <paramref name="account"/>; null when it may.</summary>
    public async Task<string?> WhyNotOnAccountAsync(string account, Access access) => evaluator.AccountDenial(await CallerAsync(), account, access);

    /// <summary>The accounts the user may READ, for the cluster pages' listings (the same filter as the REST listings).</summary>
    public async Task<AccountReadFilter> ReadableAccountsAsync() => new(evaluator, await CallerAsync());

    /// <summary>The items whose application the user may READ.</summary>
    public async Task<IReadOnlyList<T>> ReadableAsync<T>(IReadOnlyList<T> items, Func<T, string> application) =>
        await evaluator.ReadableAsync(await CallerAsync(), items, application, CancellationToken.None);
}
