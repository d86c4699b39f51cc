using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Ui;

/// <summary>The UI beside the API over plain HTTP: pages do not shadow API routes, assets are Mizzen's own, and the origin guard still holds.</summary>
public sealed partial class UiHttpTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task The_root_is_the_UI_and_every_asset_it_loads_is_served_by_Mizzen_itself()
    {
        var html = await server.Http.GetStringAsync("/");
        html.ShouldContain("<h1>Applications</h1>");

        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        assets.ShouldContain("_framework/blazor.web.js");
        assets.ShouldContain(a => a.StartsWith("mizzen.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            asset.ShouldNotContain("//", customMessage: $"{asset} would load from another host");
            using var response = await server.Http.GetAsync("/" + asset);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"/{asset}");
        }
    }

    [Fact]
    public async Task API_routes_answer_JSON_as_before_even_to_a_browser_Accept_header()
    {
        await server.CreateApplicationAsync("shop");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/applications");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        using var list = await server.Http.SendAsync(request);
        list.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await list.Content.ReadAsStringAsync()).ShouldContain("\"name\":\"shop\"");

        using var missing = new HttpRequestMessage(HttpMethod.Get, "/pipelines/01NOSUCHRUN");
        missing.Headers.Accept.ParseAdd("text/html");
        using var notFound = await server.Http.SendAsync(missing);
        notFound.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        notFound.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await notFound.Content.ReadAsStringAsync()).ShouldContain("execution 01NOSUCHRUN does not exist");
    }

    [Fact]
    public async Task A_UI_form_post_needs_its_antiforgery_token_and_the_API_still_refuses_forms_and_foreign_origins()
    {
        using var noToken = await server.Http.PostAsync("/", Form(("_handler", "create-application"), ("Input.Name", "sneaky")));
        noToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Form(("_handler", "create-application"), ("Input.Name", "sneaky")) };
        foreign.Headers.Add("Origin", "http://evil.example");
        (await server.Http.SendAsync(foreign)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var apiForm = await server.Http.PostAsync("/applications", Form(("name", "sneaky")));
        apiForm.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);

        (await server.GetJsonAsync("/applications")).AsArray().ShouldBeEmpty();
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [GeneratedRegex("(?:src|href)=\"([^\"#]+\\.(?:js|css))\"")]
    private static partial Regex AssetReference();
}
