using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Tests.Hosting;

/// <summary><c>Mizzen:Https</c> certificates the server cannot use stop the start with a message naming the setting (serving over TLS itself is in AuthBrowserTests).</summary>
public sealed class HttpsServingTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-https-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public void A_certificate_file_that_does_not_exist_stops_the_start_naming_it()
    {
        var missing = Path.Combine(data, "nope.crt");
        Settings(new JsonObject { ["CertificateFile"] = missing });

        Should.Throw<HttpsSettingException>(Build).Message.ShouldBe($"Mizzen:Https:CertificateFile '{missing}' does not exist");
    }

    [Fact]
    public void A_pem_certificate_without_its_key_stops_the_start_saying_which_setting_is_missing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var file = Path.Combine(data, "tls.crt");
        File.WriteAllText(file, certificate.ExportCertificatePem());
        Settings(new JsonObject { ["CertificateFile"] = file });

        var refused = Should.Throw<HttpsSettingException>(Build);

        refused.Message.ShouldStartWith($"Mizzen:Https: cannot read the certificate '{file}'");
    }

    private void Settings(JsonObject https) =>
        File.WriteAllText(Path.Combine(data, "mizzen.json"), new JsonObject { ["Mizzen"] = new JsonObject { ["Https"] = https } }.ToJsonString());

    private void Build()
    {
        using var app = MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", Demo: false), []);
    }
}
