namespace Mizzen.Providers.Local.ServerGroups;

/// <summary>Env values whose names look secret (PASSWORD, TOKEN, SECRET, KEY ...) are shown as <c>***</c> in listings and logs.</summary>
public static class SecretRedaction
{
    public const string Mask = "***";

    private static readonly string[] SecretWords = ["PASSWORD", "PASSWD", "TOKEN", "SECRET", "KEY", "CREDENTIAL", "PRIVATE"];

    public static bool LooksSecret(string name) =>
        SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyDictionary<string, string> Redact(IReadOnlyDictionary<string, string> env) =>
        env.ToDictionary(kv => kv.Key, kv => LooksSecret(kv.Key) ? Mask : kv.Value, StringComparer.Ordinal);
}
