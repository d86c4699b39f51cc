using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Hosting;

/// <summary>
/// <c>Mizzen:Https</c>: serving the UI and the API over TLS directly, without a proxy in front. With a certificate configured, <c>serve</c>
/// listens on <c>https://</c> at the same address and port (never on plain HTTP as well), so the session cookie is sent with
/// <c>Secure</c> and a password never crosses the network in the clear.
/// </summary>
public sealed class HttpsOptions
{
    public const string SectionName = "Mizzen:Https";

    /// <summary>A PEM certificate (with its chain), or a PKCS#12 (<c>.pfx</c>/<c>.p12</c>) file holding certificate and key.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key, when <see cref="CertificateFile"/> is PEM and the key is in a file of its own.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The PKCS#12 file's password, or the PEM key's when it is encrypted; give it through the environment.</summary>
    public string? Password { get; set; }
}

/// <summary>Chooses what Kestrel listens on: <see cref="ServeArguments.Url"/>, as <c>https</c> with <see cref="HttpsOptions"/>' certificate when one is set.</summary>
public static class HttpsServing
{
    public static void Listen(WebApplicationBuilder builder, ServeArguments arguments)
    {
        var options = builder.Configuration.GetSection(HttpsOptions.SectionName).Get<HttpsOptions>();
        if (string.IsNullOrWhiteSpace(options?.CertificateFile))
        {
            builder.WebHost.UseUrls(arguments.Url);
            return;
        }

        var certificate = Load(options);
        builder.WebHost.UseKestrelHttpsConfiguration(); // the slim builder leaves TLS out unless asked
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        builder.WebHost.UseUrls("https" + arguments.Url["http".Length..]);
    }

    private static X509Certificate2 Load(HttpsOptions options)
    {
        var file = options.CertificateFile!;
        if (!File.Exists(file))
        {
            throw new HttpsSettingException($"Mizzen:Https:CertificateFile '{file}' does not exist");
        }

        try
        {
            var pkcs12 = file.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
            var certificate = pkcs12 ? X509CertificateLoader.LoadPkcs12FromFile(file, options.Password)
                : options.Password is { Length: > 0 } password ? X509Certificate2.CreateFromEncryptedPemFile(file, password, options.KeyFile)
                : X509Certificate2.CreateFromPemFile(file, options.KeyFile);
            return certificate.HasPrivateKey
                ? certificate
                : throw new HttpsSettingException($"Mizzen:Https:CertificateFile '{file}' has no private key: set Mizzen:Https:KeyFile to the PEM key");
        }
        catch (CryptographicException e)
        {
            throw new HttpsSettingException($"Mizzen:Https: cannot read the certificate '{file}'{(options.KeyFile is null ? "" : $" with the key '{options.KeyFile}'")}: {e.Message}");
        }
    }
}

/// <summary>A <c>Mizzen:Https</c> certificate the server cannot use; it does not start.</summary>
public sealed class HttpsSettingException(string message) : MizzenException(message)
{
    public override ErrorKind Kind => ErrorKind.Invalid;
}
