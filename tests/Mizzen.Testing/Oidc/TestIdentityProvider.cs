using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Mizzen.Testing.Oidc;

/// <summary>One user of the <see cref="TestIdentityProvider"/>: the <c>preferred_username</c> and the values of the <c>groups</c> claim.</summary>
public sealed record TestIdentityUser(string Name, params string[] Groups)
{
    /// <summary>The <c>sub</c> claim (the provider's own id, unlike the name).</summary>
    public string Subject => "sub-" + Name;

    /// <summary>Leave <c>preferred_username</c> out of the tokens (a provider configured without it).</summary>
    public bool WithoutUserName { get; init; }
}

/// <summary>
/// A test identity provider: a real OpenID Connect provider built for the tests, on OpenIddict's server in degraded mode (no database:
/// one client, <see cref="ClientId"/>/<see cref="ClientSecret"/>, checked by this class's own handlers), with ephemeral signing and
/// encryption keys, the authorization code flow only, PKCE required (<c>RequireProofKeyForCodeExchange</c>), over plain HTTP on
/// 127.0.0.1 (a free port). It is not a place to sign in by hand: its authorization endpoint approves at once, signing in the user
/// named by the request's <c>login_hint</c> or else by <see cref="NextUser"/>, both set by the test; an unknown name is refused with
/// <c>access_denied</c>. It records the requests its endpoints received, so a test can check what the client sent.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "mizzen";
    public const string ClientSecret = "test-client-secret-7f3a";
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string EndSessionPath = "/connect/endsession";

    private readonly ConcurrentDictionary<string, TestIdentityUser> users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> redirectUris = new(StringComparer.Ordinal);
    private WebApplication app = null!;
    private bool disposed;

    private TestIdentityProvider()
    {
    }

    /// <summary>The issuer (what a client is configured with as its authority), <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>Who the authorization endpoint signs in when the request names nobody (<c>login_hint</c>).</summary>
    public string? NextUser { get; set; }

    /// <summary>The query of each authorization request, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> AuthorizationRequests { get; } = new();

    /// <summary>The form of each token request, in order (the client secret replaced by <c>***</c>).</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    /// <summary>The query of each end-session (RP-initiated logout) request, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> EndSessionRequests { get; } = new();

    public static async Task<TestIdentityProvider> StartAsync(params TestIdentityUser[] users)
    {
        var provider = new TestIdentityProvider();
        foreach (var user in users)
        {
            provider.users[user.Name] = user;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.EnableDegradedMode();
            options.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                .SetEndSessionEndpointUris(EndSessionPath.TrimStart('/'));
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, "groups");
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            options.UseAspNetCore().DisableTransportSecurityRequirement(); // plain HTTP on loopback
            options.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(provider.ValidateAuthorization));
            options.AddEventHandler<HandleAuthorizationRequestContext>(handler => handler.UseInlineHandler(provider.Approve));
            options.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(ValidateClient));
            options.AddEventHandler<ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(provider.ValidateEndSession));
            options.AddEventHandler<HandleEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                context.SignOut();
                return default;
            }));
        });
        provider.app = builder.Build();
        provider.app.Use(provider.RecordAsync);
        provider.app.UseAuthentication();
        await provider.app.StartAsync();
        provider.Authority = new Uri(provider.app.Urls.First().TrimEnd('/') + "/");

        // Ready when returned: the first discovery and key requests build the server's options and keys, which on a loaded machine can
        // take longer than a client's timeout.
        using var warmUp = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };
        (await warmUp.GetAsync(new Uri(provider.Authority, ".well-known/openid-configuration"))).EnsureSuccessStatusCode();
        (await warmUp.GetAsync(new Uri(provider.Authority, ".well-known/jwks"))).EnsureSuccessStatusCode();
        return provider;
    }

    /// <summary>Registers a redirect URI of the client (the provider refuses any other, as a real one does).</summary>
    public void AllowRedirectUri(Uri uri) => redirectUris[uri.AbsoluteUri] = true;

    public void AddUser(TestIdentityUser user) => users[user.Name] = user;

    /// <summary>Stops answering (a provider that is down): connections to its port are refused from now on.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task RecordAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value;
        if (path == AuthorizePath)
        {
            AuthorizationRequests.Enqueue(context.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal));
        }
        else if (path == EndSessionPath)
        {
            EndSessionRequests.Enqueue(context.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal));
        }
        else if (path == TokenPath && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            TokenRequests.Enqueue(form.ToDictionary(p => p.Key, p => p.Key == Parameters.ClientSecret ? "***" : p.Value.ToString(), StringComparer.Ordinal));
        }

        await next();
    }

    private ValueTask ValidateAuthorization(ValidateAuthorizationRequestContext context)
    {
        if (!string.Equals(context.ClientId, ClientId, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidClient, $"the test identity provider knows only the client '{ClientId}'");
        }
        else if (context.RedirectUri is null || !redirectUris.ContainsKey(context.RedirectUri))
        {
            context.Reject(Errors.InvalidRequest, $"the redirect_uri '{context.RedirectUri}' is not registered for '{ClientId}'");
        }

        return default;
    }

    private ValueTask Approve(HandleAuthorizationRequestContext context)
    {
        var name = context.Request.LoginHint ?? NextUser;
        if (name is null || !users.TryGetValue(name, out var user))
        {
            context.Reject(Errors.AccessDenied, $"the test identity provider signs in no user named '{name}'");
            return default;
        }

        var identity = new ClaimsIdentity("TestIdentityProvider", Claims.PreferredUsername, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject);
        if (!user.WithoutUserName)
        {
            identity.SetClaim(Claims.PreferredUsername, user.Name);
        }

        identity.SetClaims("groups", [.. user.Groups]);
        identity.SetScopes(context.Request.GetScopes());
        identity.SetDestinations(static _ => [Destinations.IdentityToken, Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
        return default;
    }

    private static ValueTask ValidateClient(ValidateTokenRequestContext context)
    {
        if (!string.Equals(context.ClientId, ClientId, StringComparison.Ordinal) || !string.Equals(context.Request.ClientSecret, ClientSecret, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidClient, "the client id or secret is wrong");
        }

        return default;
    }

    private ValueTask ValidateEndSession(ValidateEndSessionRequestContext context)
    {
        if (context.PostLogoutRedirectUri is { } uri && !redirectUris.ContainsKey(uri))
        {
            context.Reject(Errors.InvalidRequest, $"the post_logout_redirect_uri '{uri}' is not registered");
        }

        return default;
    }
}
