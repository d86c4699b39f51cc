using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Triggers.Tests.Docker;

/// <summary>
/// A fake of a registry's token service (what <c>auth.docker.io</c> is to Docker Hub), on 127.0.0.1, for the real registry's
/// <c>auth: token:</c> mode: <c>GET /token?service=…&amp;scope=repository:{name}:pull</c> with the right basic credentials answers
/// <c>{"token": JWT, "expires_in": 300}</c>, the JWT signed (RS256) by a self-signed certificate that the registry trusts
/// (<see cref="RegistryAuthSection"/>) and carried in the token's <c>x5c</c> header, granting the asked scope. Wrong credentials: 401.
/// </summary>
public sealed class FakeTokenService : IAsyncDisposable
{
    public const string Service = "mizzen-test-registry";
    public const string Issuer = "mizzen-test-token-service";

    private readonly RSA key = RSA.Create(2048);
    private readonly X509Certificate2 certificate;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "mizzen-token-" + Guid.NewGuid().ToString("N"));
    private readonly string expectedAuthorization;
    private WebApplication app = null!;
    private int issued;

    private FakeTokenService(string user, string password)
    {
        expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var request = new CertificateRequest("CN=" + Issuer, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    /// <summary>Tokens handed out so far.</summary>
    public int Issued => issued;

    public string Realm { get; private set; } = "";

    /// <summary>The registry's <c>auth:</c> section that trusts this service.</summary>
    public string RegistryAuthSection => $"""
        token:
          realm: {Realm}
          service: {Service}
          issuer: {Issuer}
          rootcertbundle: {folder}/root.pem
        """;

    public static async Task<FakeTokenService> StartAsync(string user, string password)
    {
        var service = new FakeTokenService(user, password);
        Directory.CreateDirectory(service.folder);
        await File.WriteAllTextAsync(Path.Combine(service.folder, "root.pem"), service.certificate.ExportCertificatePem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        service.app = builder.Build();
        service.app.MapGet("/token", service.Token);
        await service.app.StartAsync();
        service.Realm = service.app.Urls.First().TrimEnd('/') + "/token";
        return service;
    }

    private IResult Token(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != expectedAuthorization)
        {
            return Results.Unauthorized();
        }

        var scope = context.Request.Query["scope"].ToString(); // repository:team/app:pull
        var parts = scope.Split(':');
        var access = parts.Length == 3
            ? new JsonArray(new JsonObject { ["type"] = parts[0], ["name"] = parts[1], ["actions"] = new JsonArray([.. parts[2].Split(',').Select(a => (JsonNode)a)]) })
            : [];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = "ci", ["aud"] = context.Request.Query["service"].ToString(),
            ["exp"] = now + 300, ["nbf"] = now - 10, ["iat"] = now, ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signed = $"{Base64Url(header.ToJsonString())}.{Base64Url(claims.ToJsonString())}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Interlocked.Increment(ref issued);
        return Results.Json(new { token = $"{signed}.{Base64Url(signature)}", expires_in = 300 });
    }

    private static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        certificate.Dispose();
        key.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
