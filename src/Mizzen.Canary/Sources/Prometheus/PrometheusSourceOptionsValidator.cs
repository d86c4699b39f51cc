using Microsoft.Extensions.Options;

namespace Mizzen.Canary.Sources.Prometheus;

/// <summary>
/// Rejects a <see cref="PrometheusSourceOptions"/> the source could not use, naming the setting: the base address must be an
/// absolute http or https URL, and the retry settings must be consistent. Registered with <c>ValidateOnStart</c>, so a bad
/// setting stops the server at start rather than failing the first canary.
/// </summary>
public sealed class PrometheusSourceOptionsValidator : IValidateOptions<PrometheusSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, PrometheusSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var address = options.BaseAddress;
        if (address is null || !address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{PrometheusSourceOptions.SectionName}:BaseAddress must be an absolute http or https URL such as http://prometheus:9090/, "
                + $"not '{address?.OriginalString}'.");
        }

        try
        {
            (options.Retry ?? throw new ArgumentNullException(nameof(options), "is missing")).Validate();
        }
        catch (ArgumentException ex)
        {
            failures.Add($"{PrometheusSourceOptions.SectionName}:Retry is invalid: {ex.Message}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
