using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// Authentication: one policy scheme (<see cref="Scheme"/>) that reads an API token when the request carries
/// <c>Authorization: Bearer</c> and the UI's session cookie otherwise; the options, roles, tokens and the sign-in requirement.
/// </summary>
public static class AuthenticationRegistration
{
    public const string Scheme = "Mizzen";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "mizzen.session";

    public static IServiceCollection AddMizzenAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MizzenAuth>();
        services.TryAddSingleton<IUserRoles, UserRoles>();
        services.TryAddSingleton<ApiTokens>();
        services.TryAddSingleton<BootstrapToken>();
        services.TryAddSingleton<LdapDirectory>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<PasswordLogin>();
        services.AddDataProtection().SetApplicationName("mizzen");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new StoredDataProtectionKeys(provider.GetRequiredService<Mizzen.Persistence.Documents.IDocumentStore>())));

        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, StoredSessions.Setup>(); // sign-out ends the session on the server
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest); // Secure over HTTPS, as the session's

        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var session = auth.Session;
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API token or session cookie", o =>
                o.ForwardDefaultSelector = context => BearerTokenHandler.BearerToken(context.Request) is null ? CookieScheme : BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, _ => { })
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = session.IdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = SignInRequirement.LoginPage;
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        if (auth.Oidc.IsConfigured)
        {
            authentication.AddMizzenOidc(auth.Oidc); // signs into the cookie above; refuses to start on an incomplete configuration
        }

        return services;
    }

    /// <summary>Reads who is calling, then sends callers that are not signed in to the login page or away with a 401.</summary>
    public static IApplicationBuilder UseMizzenAuthentication(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseMiddleware<SignInRequirement>();
        app.UseMiddleware<SessionCsrfGuard>();
        return app;
    }
}
