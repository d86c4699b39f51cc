using System.Net.Http.Headers;
using System.Text;

namespace Mizzen.Triggers.Polling;

/// <summary>
/// A poller's user name and secret (a registry password, a Jenkins API token), from configuration or a file (read when used, so a
/// rotated file is picked up without a restart). Never logged, never put in a URL or an exception message.
/// </summary>
public sealed record PollCredentials(string Username, string? Secret, string? SecretFile)
{
    public static PollCredentials? From(string? username, string? secret, string? secretFile) =>
        string.IsNullOrEmpty(username) ? null : new PollCredentials(username, secret, secretFile);

    public AuthenticationHeaderValue BasicHeader()
    {
        var secret = Secret;
        if (string.IsNullOrEmpty(secret) && !string.IsNullOrEmpty(SecretFile))
        {
            secret = File.ReadAllText(SecretFile).TrimEnd('\r', '\n');
        }

        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{secret}")));
    }

    public override string ToString() => $"{Username}:***";
}
