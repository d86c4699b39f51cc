using System.Collections.Concurrent;
using Microsoft.Playwright;
using Mizzen.Server.Tests.Ui;

namespace Mizzen.Server.Benchmarks.Ui;

/// <summary>One response of a first load: what went over the wire for it (headers + body as encoded, so after compression).</summary>
internal sealed record Transfer(string Url, int Status, string Encoding, long HeaderBytes, long BodyBytes, string Type);

/// <summary>
/// What a first visit of one page transferred: every HTTP response, and the Blazor circuit's frames received in the settle time:
/// their payload as the page receives it (<see cref="CircuitBytes"/>) and each deflated on its own (<see cref="CircuitDeflatedBytes"/>).
/// The socket negotiates permessage-deflate (Kestrel answers <c>Sec-WebSocket-Extensions: permessage-deflate</c>), which Chromium does
/// not report per frame; a frame deflated alone is an upper bound of what the compressed socket carries (its shared window only helps).
/// </summary>
internal sealed record FirstLoadResult(string Page, IReadOnlyList<Transfer> Responses, long CircuitBytes, long CircuitDeflatedBytes, int CircuitFrames)
{
    public long HttpBytes => Responses.Sum(r => r.HeaderBytes + r.BodyBytes);

    /// <summary>Over the wire: HTTP as received, circuit frames as deflated.</summary>
    public long Total => HttpBytes + CircuitDeflatedBytes;
}

/// <summary>
/// The first load of a page in Chromium with an empty cache (a fresh browser context): the byte counts are Chromium's own
/// (<c>Request.SizesAsync</c>: response headers and the body as received, i.e. compressed when the server compressed it), for the
/// document and everything it pulls in (stylesheet, scripts including blazor.web.js, fonts, images), plus the WebSocket frames the
/// interactive circuit receives while the page settles (its first render batch).
/// </summary>
internal static class FirstLoad
{
    public static async Task<FirstLoadResult> MeasureAsync(UiBrowser browser, Uri server, string name, string path, TimeSpan settle)
    {
        var page = await browser.OpenAsync(server);
        var finished = new ConcurrentBag<Task<Transfer>>();
        long circuitBytes = 0;
        long circuitDeflated = 0;
        var circuitFrames = 0;
        page.RequestFinished += (_, request) => finished.Add(TransferOfAsync(request));
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            var payload = frame.Binary ?? System.Text.Encoding.UTF8.GetBytes(frame.Text ?? "");
            Interlocked.Add(ref circuitBytes, payload.Length);
            Interlocked.Add(ref circuitDeflated, Deflated(payload));
            Interlocked.Increment(ref circuitFrames);
        };
        try
        {
            // Generous limits: a 1 MB page on a machine at load 30 can take Chromium many seconds to parse; the figure is bytes, not time.
            await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 });
            try
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 60_000 });
            }
            catch (TimeoutException)
            {
                Console.WriteLine($"  {name}: the network was not idle within 60 s of the load event; counting what arrived");
            }

            await Task.Delay(settle);
            var responses = (await Task.WhenAll(finished)).OrderByDescending(t => t.HeaderBytes + t.BodyBytes).ToList();
            return new FirstLoadResult(name, responses, Interlocked.Read(ref circuitBytes), Interlocked.Read(ref circuitDeflated), circuitFrames);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static long Deflated(byte[] payload)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(payload);
        }

        return buffer.Length;
    }

    private static async Task<Transfer> TransferOfAsync(IRequest request)
    {
        var sizes = await request.SizesAsync();
        var response = await request.ResponseAsync();
        var headers = response is null ? new Dictionary<string, string>() : await response.AllHeadersAsync();
        return new Transfer(
            request.Url,
            response?.Status ?? 0,
            headers.TryGetValue("content-encoding", out var encoding) ? encoding : "identity",
            sizes.ResponseHeadersSize,
            sizes.ResponseBodySize,
            request.ResourceType);
    }
}
