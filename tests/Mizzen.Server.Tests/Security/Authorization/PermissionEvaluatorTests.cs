using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Server.Security;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Tests.Security.Authorization;

/// <summary>Fiat's rules as the evaluator applies them, without a server: roles, fallbacks, admins, read-only callers, service accounts.</summary>
public sealed class PermissionEvaluatorTests
{
    private static readonly JsonObject Shop = new()
    {
        ["READ"] = new JsonArray("Viewers", "executors", "writers"),
        ["EXECUTE"] = new JsonArray("executors", "writers"),
        ["WRITE"] = new JsonArray("writers"),
    };

    [Fact]
    public async Task An_unrestricted_application_is_open_to_every_signed_in_user_and_to_anonymous_runs()
    {
        var evaluator = Evaluator(new() { ["open"] = PermissionSet.Unrestricted });
        var nobody = evaluator.For(Principal("nobody"));
        foreach (var access in new[] { Access.Read, Access.Write, Access.Execute })
        {
            (await evaluator.ApplicationDenialAsync(nobody, "open", access, default)).ShouldBeNull();
            (await evaluator.ApplicationDenialAsync(await evaluator.ForUserAsync(Users.Anonymous, default), "open", access, default)).ShouldBeNull();
        }
    }

    [Fact]
    public async Task A_restricted_application_grants_each_authorization_to_the_roles_listed_for_it_and_names_what_is_missing()
    {
        var evaluator = Evaluator(new() { ["shop"] = PermissionSet.Parse(Shop) });
        var viewer = evaluator.For(Principal("vera", "viewers"));
        var executor = evaluator.For(Principal("ezra", "executors"));
        var writer = evaluator.For(Principal("wanda", "writers"));
        var stranger = evaluator.For(Principal("sam", "other-team"));

        (await evaluator.ApplicationDenialAsync(viewer, "shop", Access.Read, default)).ShouldBeNull();
        (await evaluator.ApplicationDenialAsync(viewer, "shop", Access.Execute, default)).ShouldBe("'vera' lacks EXECUTE on application 'shop'");
        (await evaluator.ApplicationDenialAsync(executor, "shop", Access.Execute, default)).ShouldBeNull();
        (await evaluator.ApplicationDenialAsync(executor, "SHOP", Access.Write, default)).ShouldBe("'ezra' lacks WRITE on application 'shop'");
        (await evaluator.ApplicationDenialAsync(writer, "shop", Access.Write, default)).ShouldBeNull();
        (await evaluator.ApplicationDenialAsync(stranger, "shop", Access.Read, default)).ShouldBe("'sam' lacks READ on application 'shop'");
        (await evaluator.ApplicationDenialAsync(await evaluator.ForUserAsync(Users.Anonymous, default), "shop", Access.Read, default)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Execute_left_empty_falls_back_to_the_readers_as_in_fiat_and_to_the_writers_when_configured()
    {
        var permissions = PermissionSet.Parse(new JsonObject { ["READ"] = new JsonArray("viewers"), ["WRITE"] = new JsonArray("writers") });
        var byDefault = Evaluator(new() { ["shop"] = permissions });
        (await byDefault.ApplicationDenialAsync(byDefault.For(Principal("vera", "viewers")), "shop", Access.Execute, default)).ShouldBeNull();
        (await byDefault.ApplicationDenialAsync(byDefault.For(Principal("wanda", "writers")), "shop", Access.Execute, default)).ShouldNotBeNull();

        var writersOnly = Evaluator(new() { ["shop"] = permissions }, configure: o => o.ExecuteFallback = "WRITE");
        (await writersOnly.ApplicationDenialAsync(writersOnly.For(Principal("vera", "viewers")), "shop", Access.Execute, default)).ShouldNotBeNull();
        (await writersOnly.ApplicationDenialAsync(writersOnly.For(Principal("wanda", "writers")), "shop", Access.Execute, default)).ShouldBeNull();
    }

    [Fact]
    public async Task Write_does_not_imply_read_and_roles_compare_trimmed_and_lower_cased()
    {
        var evaluator = Evaluator(new() { ["shop"] = PermissionSet.Parse(new JsonObject { ["READ"] = new JsonArray(" Viewers "), ["WRITE"] = new JsonArray("writers") }) });
        (await evaluator.ApplicationDenialAsync(evaluator.For(Principal("wanda", "writers")), "shop", Access.Read, default)).ShouldNotBeNull();
        (await evaluator.ApplicationDenialAsync(evaluator.For(Principal("vera", "VIEWERS")), "shop", Access.Read, default)).ShouldBeNull();
    }

    [Fact]
    public async Task An_admin_holds_everything_but_a_read_only_admin_token_or_role_only_reads()
    {
        var evaluator = Evaluator(new() { ["shop"] = PermissionSet.Parse(Shop) }, admins: ["admins"], readOnlyRoles: ["auditors"]);
        var admin = evaluator.For(Principal("ada", "admins"));
        admin.IsAdmin.ShouldBeTrue();
        (await evaluator.ApplicationDenialAsync(admin, "shop", Access.Write, default)).ShouldBeNull();

        var readOnlyToken = evaluator.For(Principal("ada", ["admins"], scope: MizzenAuth.ReadScope));
        (await evaluator.ApplicationDenialAsync(readOnlyToken, "shop", Access.Read, default)).ShouldBeNull();
        (await evaluator.ApplicationDenialAsync(readOnlyToken, "shop", Access.Execute, default)).ShouldNotBeNull().ShouldContain("read-only");

        var auditor = evaluator.For(Principal("otto", "auditors", "writers"));
        auditor.IsReadOnly.ShouldBeTrue();
        (await evaluator.ApplicationDenialAsync(auditor, "shop", Access.Write, default)).ShouldNotBeNull().ShouldContain("missing WRITE on application 'shop'");
    }

    [Fact]
    public async Task With_authentication_off_everything_is_allowed_to_everyone()
    {
        var evaluator = Evaluator(new() { ["shop"] = PermissionSet.Parse(Shop) }, enabled: false);
        var caller = evaluator.For(new ClaimsPrincipal(new ClaimsIdentity()));
        (await evaluator.ApplicationDenialAsync(caller, "shop", Access.Write, default)).ShouldBeNull();
        evaluator.AccountDenial(await evaluator.ForUserAsync("anyone", default), "prod", Access.Write).ShouldBeNull();
        evaluator.ServiceAccountDenial(caller, "not-configured", "triggers[0].runAsUser").ShouldBeNull();
    }

    [Fact]
    public void A_user_may_use_a_service_account_holding_all_of_its_roles_or_one_of_them_in_any_role_mode()
    {
        var evaluator = Evaluator([], admins: ["admins"], serviceAccounts: new() { ["deployer"] = ["deployers", "prod"], ["orphan"] = [] });
        var both = evaluator.For(Principal("bo", "deployers", "prod"));
        var one = evaluator.For(Principal("oni", "deployers"));
        evaluator.ServiceAccountDenial(both, "deployer", "triggers[0].runAsUser").ShouldBeNull();
        evaluator.ServiceAccountDenial(one, "deployer", "triggers[0].runAsUser")
            .ShouldBe("triggers[0].runAsUser: 'oni' may not use service account 'deployer': it takes all of its roles (deployers, prod)");
        evaluator.ServiceAccountDenial(one, "orphan", "triggers[1].runAsUser").ShouldNotBeNull().ShouldContain("only an admin");
        evaluator.ServiceAccountDenial(evaluator.For(Principal("ada", "admins")), "orphan", "x").ShouldBeNull();
        Should.Throw<ValidationException>(() => evaluator.ServiceAccountDenial(both, "ghost", "triggers[2].runAsUser"))
            .Problems.Single().Location.ShouldBe("triggers[2].runAsUser");

        var anyRole = Evaluator([], serviceAccounts: new() { ["deployer"] = ["deployers", "prod"] }, configure: o => o.ServiceAccountAnyRole = true);
        anyRole.ServiceAccountDenial(anyRole.For(Principal("oni", "deployers")), "deployer", "triggers[0].runAsUser").ShouldBeNull();
    }

    [Fact]
    public async Task A_named_user_gets_its_roles_from_the_role_source_at_the_time_of_the_check()
    {
        var roles = new Dictionary<string, string[]> { ["jenkins-bot"] = ["executors"] };
        var evaluator = Evaluator(new() { ["shop"] = PermissionSet.Parse(Shop) }, userRoles: roles);
        (await evaluator.ApplicationDenialAsync(await evaluator.ForUserAsync("jenkins-bot", default), "shop", Access.Execute, default)).ShouldBeNull();
        roles["jenkins-bot"] = [];
        (await evaluator.ApplicationDenialAsync(await evaluator.ForUserAsync("jenkins-bot", default), "shop", Access.Execute, default)).ShouldNotBeNull();
    }

    [Fact]
    public void Accounts_carry_read_and_write_from_configuration_and_an_execute_entry_stops_the_start_naming_it()
    {
        var accounts = new ConfiguredAccountPermissions(Configuration(new()
        {
            ["Mizzen:Accounts:0:name"] = "prod",
            ["Mizzen:Accounts:0:permissions:READ:0"] = "everyone",
            ["Mizzen:Accounts:0:permissions:WRITE:0"] = "Prod-Deployers",
            ["Mizzen:Accounts:1:name"] = "staging",
        }));
        accounts.For("PROD").Write.ShouldBe(["prod-deployers"]);
        accounts.For("staging").IsRestricted.ShouldBeFalse();
        accounts.For("unknown").IsRestricted.ShouldBeFalse();

        var evaluator = Evaluator([], accounts: accounts);
        evaluator.AccountDenial(evaluator.For(Principal("pat", "prod-deployers")), "prod", Access.Write).ShouldBeNull();
        evaluator.AccountDenial(evaluator.For(Principal("pat", "prod-deployers")), "prod", Access.Read).ShouldBe("'pat' lacks READ on account 'prod'");
        evaluator.AccountDenial(evaluator.For(Principal("eve", "everyone")), "prod", Access.Write).ShouldBe("'eve' lacks WRITE on account 'prod'");

        Should.Throw<ValidationException>(() => new ConfiguredAccountPermissions(Configuration(new()
        {
            ["Mizzen:Accounts:0:name"] = "prod",
            ["Mizzen:Accounts:0:permissions:EXECUTE:0"] = "x",
        }))).Problems.Single().Location.ShouldBe("Mizzen:Accounts:0:permissions:EXECUTE");
    }

    [Fact]
    public void Permissions_that_are_not_read_write_or_execute_lists_of_roles_are_refused_naming_the_key()
    {
        var problems = Should.Throw<ValidationException>(() => PermissionSet.Parse(new JsonObject
        {
            ["READ"] = new JsonArray("a"),
            ["DEPLOY"] = new JsonArray("b"),
            ["WRITE"] = "writers",
        })).Problems;
        problems.Select(p => p.Location).ShouldBe(["permissions.DEPLOY", "permissions.WRITE"], ignoreOrder: true);
        PermissionSet.Parse(new JsonObject { ["READ"] = new JsonArray() }).IsRestricted.ShouldBeFalse();
    }

    [Fact]
    public void Only_the_stages_judgment_roles_or_an_admin_may_judge()
    {
        var evaluator = Evaluator([], admins: ["admins"]);
        var stage = new StageExecution { Name = "Approve", Context = new JsonObject { ["selectedStageRoles"] = new JsonArray("Release-Managers") } };
        AuthorizingExecutionRunner.JudgmentDenial(evaluator.For(Principal("rm", "release-managers")), stage).ShouldBeNull();
        AuthorizingExecutionRunner.JudgmentDenial(evaluator.For(Principal("ada", "admins")), stage).ShouldBeNull();
        AuthorizingExecutionRunner.JudgmentDenial(evaluator.For(Principal("dev", "executors")), stage)
            .ShouldBe("'dev' may not judge stage 'Approve': judging it takes one of the roles release-managers");
        AuthorizingExecutionRunner.JudgmentDenial(evaluator.For(Principal("dev", "executors")), new StageExecution { Name = "Open", Context = [] }).ShouldBeNull();
    }

    [Fact]
    public void Deploy_accounts_are_found_at_any_depth_except_expressions()
    {
        var stages = new JsonArray(
            new JsonObject { ["type"] = "deploy", ["clusters"] = new JsonArray(new JsonObject { ["account"] = "prod" }, new JsonObject { ["account"] = "${trigger.parameters.account}" }) },
            new JsonObject { ["type"] = "resizeServerGroup", ["credentials"] = "staging" },
            new JsonObject { ["type"] = "wait", ["waitTime"] = 1 });
        DeployAccounts.In(stages).ShouldBe(["prod", "staging"]);
    }

    private static ClaimsPrincipal Principal(string name, params string[] roles) => Principal(name, roles, scope: null);

    private static ClaimsPrincipal Principal(string name, string[] roles, string? scope) =>
        MizzenAuth.Principal(name, roles, "token", "test", scope);

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static PermissionEvaluator Evaluator(
        Dictionary<string, PermissionSet> applications,
        string[]? admins = null,
        string[]? readOnlyRoles = null,
        Dictionary<string, string[]>? serviceAccounts = null,
        Dictionary<string, string[]>? userRoles = null,
        IAccountPermissions? accounts = null,
        bool enabled = true,
        Action<PermissionOptions>? configure = null)
    {
        var auth = new AuthOptions { Enabled = enabled };
        foreach (var admin in admins ?? [])
        {
            auth.AdminRoles.Add(admin);
        }

        foreach (var (name, roles) in serviceAccounts ?? [])
        {
            var options = new AuthUserOptions();
            foreach (var role in roles)
            {
                options.Roles.Add(role);
            }

            auth.ServiceAccounts[name] = options;
        }

        var permissionOptions = new PermissionOptions();
        foreach (var role in readOnlyRoles ?? [])
        {
            permissionOptions.ReadOnlyRoles.Add(role);
        }

        configure?.Invoke(permissionOptions);
        return new PermissionEvaluator(
            new MizzenAuth(Options.Create(auth)), Options.Create(auth), Options.Create(permissionOptions),
            new TableOfApplications(applications), accounts ?? new ConfiguredAccountPermissions(Configuration([])), new TableOfRoles(userRoles ?? []));
    }

    /// <summary>The applications' permissions as a table (the store-backed source is exercised by the route matrix test).</summary>
    private sealed class TableOfApplications(Dictionary<string, PermissionSet> table) : IApplicationPermissions
    {
        public ValueTask<PermissionSet> GetAsync(string application, CancellationToken cancellationToken) =>
            ValueTask.FromResult(table.GetValueOrDefault(application.ToLowerInvariant()) ?? PermissionSet.Unrestricted);

        public void Forget(string application)
        {
        }
    }

    /// <summary>Users' roles as a table (authn's store-backed source is exercised by the route matrix test).</summary>
    private sealed class TableOfRoles(Dictionary<string, string[]> table) : IUserRoles
    {
        public Task<IReadOnlyList<string>> GetRolesAsync(string user, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(table.GetValueOrDefault(user) ?? []);

        public Task RememberLoginAsync(string user, IReadOnlyList<string> roles, string source, CancellationToken cancellationToken) => Task.CompletedTask;

        public bool IsServiceAccount(string user) => false;
    }
}
