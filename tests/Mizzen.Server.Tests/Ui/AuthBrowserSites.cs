using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Server.Tests.Ui;

/// <summary>What reached the Mizzen server: method, path, the page's <c>Origin</c>, whether the session cookie came with it, and the answer.</summary>
public sealed record SeenRequest(string Method, string Path, string Origin, bool WithSessionCookie, int Status);

/// <summary>
/// Wraps the whole server (outside every Mizzen middleware) and notes each request, so a test can tell whether a forged request reached the
/// server at all, with or without the victim's cookie, and what it was answered.
/// </summary>
public sealed class RequestRecorder : IStartupFilter
{
    private readonly ConcurrentQueue<SeenRequest> seen = new();

    public IReadOnlyList<SeenRequest> Seen => [.. seen];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            var request = context.Request;
            var cookie = request.Cookies.ContainsKey(Mizzen.Server.Security.Authentication.AuthenticationRegistration.CookieName);
            await inner(context);
            seen.Enqueue(new SeenRequest(request.Method, request.Path + request.QueryString, request.Headers.Origin.ToString(), cookie, context.Response.StatusCode));
        });
        next(app);
    };
}

/// <summary>
/// The attacker: a web site of its own on 127.0.0.1 (another port than Mizzen's), reached by the browser as <c>http://localhost:PORT</c>
/// (another site than <c>127.0.0.1</c>, so <c>SameSite</c> applies) or as <c>http://127.0.0.1:PORT</c> (the same site on another port,
/// where the browser does send a <c>SameSite=Lax</c> cookie and only the antiforgery token stands in the way). Each page forges one request
/// to <paramref name="victim"/> as soon as it loads.
/// </summary>
public sealed class AttackerSite : IAsyncDisposable
{
    private readonly WebApplication app;

    private AttackerSite(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<AttackerSite> StartAsync(Uri victim)
    {
        var target = victim.ToString().TrimEnd('/');
        var pages = new Dictionary<string, string>
        {
            ["blank"] = "<!doctype html><title>cute cats</title><p>nothing to see</p>",
            // The classic JSON-by-text/plain form: the body reads {"name":"forged-by-form",...,"x":"="} and needs no CORS preflight.
            ["create-application"] = AutoSubmit($"{target}/applications", "text/plain",
                "<input name='{\"name\":\"forged-by-form\",\"email\":\"evil@example.com\",\"x\":\"' value='\"}'>"),
            ["trigger"] = AutoSubmit($"{target}/pipelines/shop/release", "application/x-www-form-urlencoded", ""),
            ["logout"] = AutoSubmit($"{target}/auth/logout", "application/x-www-form-urlencoded", ""),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/{page}", (string page) => pages.TryGetValue(page, out var html) ? Results.Content(html, "text/html") : Results.NotFound());
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new AttackerSite(app, port);
    }

    private static string AutoSubmit(string action, string encoding, string fields) =>
        $"<!doctype html><title>win a prize</title><form method='post' action='{action}' enctype='{encoding}'>{fields}</form>" +
        "<script>document.forms[0].submit()</script>";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, written as PEM files for <c>Mizzen:Https</c>.</summary>
public static class TestCertificate
{
    public static (string CertificateFile, string KeyFile, string Thumbprint) Write(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        var (certificateFile, keyFile) = (Path.Combine(folder, "tls.crt"), Path.Combine(folder, "tls.key"));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile, certificate.Thumbprint);
    }
}
