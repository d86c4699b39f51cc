using System.Net;
using Microsoft.Extensions.Logging;

namespace Mizzen.Canary.Sources;

/// <summary>
/// GETs a URL with <see cref="MetricsFetchRetryOptions"/>: exponential backoff measured on the injected
/// <see cref="TimeProvider"/>, so the waits are real waits in production and instant in tests.
/// </summary>
public sealed partial class RetryingHttpFetcher(HttpClient httpClient, MetricsFetchRetryOptions options, TimeProvider timeProvider, ILogger logger)
{
    public async Task<string> GetStringAsync(Uri uri, string storeName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options.Validate();
        for (var attempt = 1; ; attempt++)
        {
            string? failure;
            try
            {
                using var response = await httpClient.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                failure = $"{storeName} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(body)}";
                if (!IsRetryable(response.StatusCode))
                {
                    throw new MetricsFetchException(failure, isTransient: false);
                }
            }
            catch (HttpRequestException ex)
            {
                failure = $"{storeName} could not be reached: {ex.Message}";
                if (attempt >= options.MaxAttempts)
                {
                    throw new MetricsFetchException($"{failure} (gave up after {attempt} attempts)", isTransient: true, ex);
                }
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"{storeName} timed out";
                if (attempt >= options.MaxAttempts)
                {
                    throw new MetricsFetchException($"{failure} (gave up after {attempt} attempts)", isTransient: true, ex);
                }
            }

            if (attempt >= options.MaxAttempts)
            {
                throw new MetricsFetchException($"{failure} (gave up after {attempt} attempts)", isTransient: true);
            }

            var delay = options.DelayBeforeRetry(attempt);
            LogRetry(logger, storeName, attempt, options.MaxAttempts, delay, failure);
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    public static bool IsRetryable(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Metric store {store} failed on attempt {attempt} of {maxAttempts}; retrying in {delay}: {failure}")]
    private static partial void LogRetry(ILogger logger, string store, int attempt, int maxAttempts, TimeSpan delay, string failure);
}
