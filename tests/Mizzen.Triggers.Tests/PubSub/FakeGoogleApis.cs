using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Triggers.Tests.PubSub;

/// <summary>
/// A fake of Google's front door, named as one: Google's OAuth 2.0 token endpoint for service accounts (<c>POST /token</c>, the JWT-bearer
/// grant of RFC 7523 as Google documents it: an RS256-signed assertion with <c>iss</c>, <c>scope</c>, <c>aud</c>, <c>iat</c>, <c>exp</c>,
/// answered with <c>{access_token, expires_in, token_type}</c>), checking the assertion's signature with the key's public half; and
/// Pub/Sub's REST paths (<c>/v1/…</c>) forwarded to the real emulator, recording the <c>Authorization</c> header of each call.
/// </summary>
public sealed class FakeGoogleApis(Uri emulator, RSA publicKey) : IAsyncDisposable
{
    public const string AccessToken = "ya29.fake-token-4f1d2c";

    private readonly HttpClient forward = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = emulator };
    private WebApplication? app;

    /// <summary>The verified claims of each token request.</summary>
    public ConcurrentQueue<JsonObject> TokenRequests { get; } = new();

    /// <summary>The <c>Authorization</c> header of each Pub/Sub call ("" when none).</summary>
    public ConcurrentQueue<string> PubSubAuthorizations { get; } = new();

    /// <summary>When set, the token endpoint refuses every grant as Google does for a revoked key.</summary>
    public bool RefuseGrants { get; set; }

    public Uri Url { get; private set; } = null!;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapPost("/token", TokenAsync);
        app.Map("/v1/{**rest}", ForwardAsync);
        await app.StartAsync();
        Url = new Uri(app.Urls.First() + "/");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || Verify(form["assertion"].ToString()) is not { } claims)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "Invalid grant: the assertion's signature does not verify." }, statusCode: 400);
        }

        if (RefuseGrants)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT Signature." }, statusCode: 400);
        }

        TokenRequests.Enqueue(claims);
        return Results.Json(new { access_token = AccessToken, expires_in = 3599, token_type = "Bearer" });
    }

    private JsonObject? Verify(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return publicKey.VerifyData(signed, Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? JsonNode.Parse(Base64Url(parts[1]))!.AsObject()
            : null;
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private async Task ForwardAsync(HttpContext context)
    {
        PubSubAuthorizations.Enqueue(context.Request.Headers.Authorization.ToString());
        using var body = new StreamContent(context.Request.Body);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var answer = await forward.SendAsync(
            new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path.Value!.TrimStart('/')) { Content = body }, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = "application/json";
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        forward.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
