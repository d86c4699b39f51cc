using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Mizzen.Core.Secrets;

namespace Mizzen.Orchestration.Secrets;

/// <summary>
/// Secrets from configuration (<c>Mizzen:Secrets:{name}</c>: <c>mizzen.json</c> or <c>MIZZEN_Mizzen__Secrets__{name}</c>), from
/// environment variables (<see cref="SecretStoreOptions.EnvironmentPrefix"/>) and from a folder of files
/// (<see cref="SecretStoreOptions.Directory"/>), looked up in that order each time a value is needed.
/// </summary>
public sealed class ConfiguredSecretStore(IConfiguration configuration, IOptions<SecretStoreOptions> options) : ISecretStore
{
    public bool TryGet(string name, out string value)
    {
        value = "";
        if (!IsValidName(name))
        {
            return false;
        }

        if (configuration.GetSection(SecretStoreOptions.ValuesSection)[name] is { } configured)
        {
            value = configured;
            return true;
        }

        if (EnvironmentName(name) is { } variable && Environment.GetEnvironmentVariable(variable) is { } fromEnvironment)
        {
            value = fromEnvironment;
            return true;
        }

        if (FilePath(name) is { } path && File.Exists(path))
        {
            value = File.ReadAllText(path, Encoding.UTF8).TrimEnd('\r', '\n');
            return true;
        }

        return false;
    }

    public bool IsAllowedInPipelines(string name) => options.Value.AllowedInPipelines.Contains(name, StringComparer.Ordinal);

    public string DescribeSources(string name)
    {
        var sources = new List<string> { $"{SecretStoreOptions.ValuesSection}:{name}" };
        if (EnvironmentName(name) is { } variable)
        {
            sources.Add($"the environment variable {variable}");
        }

        if (FilePath(name) is { } path)
        {
            sources.Add($"the file {path}");
        }

        return "looked for " + string.Join(", ", sources);
    }

    /// <summary>A name that cannot leave the secrets folder (no separators, no <c>..</c>).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 200 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private string? EnvironmentName(string name)
    {
        var prefix = options.Value.EnvironmentPrefix;
        return string.IsNullOrEmpty(prefix)
            ? null
            : prefix + new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')]);
    }

    private string? FilePath(string name) =>
        string.IsNullOrWhiteSpace(options.Value.Directory) ? null : Path.Combine(options.Value.Directory, name);
}
