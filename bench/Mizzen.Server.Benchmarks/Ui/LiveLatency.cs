using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Ui;

namespace Mizzen.Server.Benchmarks.Ui;

/// <summary>One state change and how long after the API call the open page showed it.</summary>
internal sealed record LiveChange(string Kind, string ExecutionId, double Milliseconds);

/// <summary>
/// Live updates as a user sees them: the executions page of the busiest application open in Chromium (interactive, its circuit
/// subscribed to the change feed), a run started and then canceled through the REST API, and the time from sending each request to
/// the moment the page's DOM shows the change (a MutationObserver in the page stamps when a run's <c>data-status</c> first shows a
/// value; browser and bench read the same wall clock of this machine).
/// </summary>
internal static class LiveLatency
{
    private const string Observer = """
        () => {
          window.__seen = {};
          const now = () => performance.timeOrigin + performance.now();
          const record = () => {
            for (const el of document.querySelectorAll('[data-execution][data-status]')) {
              const key = el.dataset.execution + ' ' + el.dataset.status;
              if (!(key in window.__seen)) window.__seen[key] = now();
            }
          };
          new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-execution'] });
          record();
        }
        """;

    public static async Task<List<LiveChange>> MeasureAsync(UiBrowser browser, HttpClient http, Uri server, string app, string pipeline, int changes)
    {
        var page = await browser.OpenAsync(server);
        try
        {
            await page.GotoAsync($"/ui/applications/{app}/executions");
            await page.Locator("[data-live='true']").WaitForAsync();
            await page.EvaluateAsync(Observer);
            var result = new List<LiveChange>();
            for (var i = 0; i < changes; i++)
            {
                var started = Now();
                using var start = await http.PostAsJsonAsync(new Uri($"/pipelines/{app}/{pipeline}", UriKind.Relative), new JsonObject { ["type"] = "manual", ["user"] = "bench", ["parameters"] = new JsonObject { ["version"] = $"live-{i}" } });
                var body = await start.Content.ReadAsStringAsync();
                if ((int)start.StatusCode != 202)
                {
                    throw new InvalidOperationException($"starting {pipeline} answered {(int)start.StatusCode}: {body}");
                }

                var id = JsonNode.Parse(body)!["ref"]!.GetValue<string>().Split('/')[^1];
                result.Add(new LiveChange("executions page: run started → shown RUNNING", id, await SeenAsync(page, id, "RUNNING") - started));

                var canceled = Now();
                using var cancel = await http.PutAsync(new Uri($"/pipelines/{id}/cancel?reason=bench", UriKind.Relative), null);
                if ((int)cancel.StatusCode != 202)
                {
                    throw new InvalidOperationException($"cancel of {id} answered {(int)cancel.StatusCode}: {await cancel.Content.ReadAsStringAsync()}");
                }

                result.Add(new LiveChange("executions page: run canceled → shown CANCELED", id, await SeenAsync(page, id, "CANCELED") - canceled));

                // Let the board settle between changes, so each figure times one change, not a queue of them.
                await Task.Delay(300);
            }

            return result;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private const string StageObserver = """
        () => {
          window.__seen = {};
          const now = () => performance.timeOrigin + performance.now();
          const record = () => {
            for (const el of document.querySelectorAll('[data-stage][data-status]')) {
              const key = el.dataset.stage + ' ' + el.dataset.status;
              if (!(key in window.__seen)) window.__seen[key] = now();
            }
          };
          new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
          record();
        }
        """;

    /// <summary>
    /// The other live page: a run's own page. Each time a run of <paramref name="pipeline"/> is started, its page opened until live, and the
    /// run canceled through the API; the figure is the time until the page shows its waiting first stage <c>CANCELED</c>.
    /// </summary>
    public static async Task<List<LiveChange>> MeasureExecutionPageAsync(UiBrowser browser, HttpClient http, Uri server, string app, string pipeline, int changes)
    {
        var page = await browser.OpenAsync(server);
        try
        {
            var result = new List<LiveChange>();
            for (var i = 0; i < changes; i++)
            {
                using var start = await http.PostAsJsonAsync(new Uri($"/pipelines/{app}/{pipeline}", UriKind.Relative), new JsonObject { ["type"] = "manual", ["user"] = "bench" });
                var id = JsonNode.Parse(await start.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>().Split('/')[^1];
                await page.GotoAsync($"/ui/executions/{id}");
                await page.Locator("[data-live='true']").WaitForAsync();
                await page.EvaluateAsync(StageObserver);
                await SeenAsync(page, "stage 0", "RUNNING");
                var canceled = Now();
                using var cancel = await http.PutAsync(new Uri($"/pipelines/{id}/cancel?reason=bench", UriKind.Relative), null);
                if ((int)cancel.StatusCode != 202)
                {
                    throw new InvalidOperationException($"cancel of {id} answered {(int)cancel.StatusCode}: {await cancel.Content.ReadAsStringAsync()}");
                }

                result.Add(new LiveChange("execution page: run canceled → its stage shown CANCELED", id, await SeenAsync(page, "stage 0", "CANCELED") - canceled));
            }

            return result;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task<double> SeenAsync(IPage page, string what, string status)
    {
        var key = $"{what} {status}";
        var handle = await page.WaitForFunctionAsync("key => window.__seen[key]", key, new PageWaitForFunctionOptions { PollingInterval = 10, Timeout = 20_000 });
        return await handle.JsonValueAsync<double>();
    }

    private static double Now() => DateTime.UtcNow.Subtract(DateTime.UnixEpoch).TotalMilliseconds;
}
