using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Api;

/// <summary>
/// What a web page on another site could make a browser send: bodies that are not JSON (no CORS preflight), a foreign <c>Host</c>
/// (DNS rebinding), a foreign <c>Origin</c>. The real server on 127.0.0.1.
/// </summary>
public sealed class RequestOriginTests : IAsyncLifetime
{
    private const string RunJobTask = """{"application":"shop","description":"x","job":[{"type":"runJob","account":"local","command":["id"]}]}""";
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync(demo: false, [("local", "21250-21259")], data =>
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "mizzen.json")))!;
        settings["Mizzen"]!["AllowedHosts"] = new JsonArray("mizzen.internal");
        File.WriteAllText(Path.Combine(data, "mizzen.json"), settings.ToJsonString());
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_task_posted_as_a_simple_browser_request_is_refused_with_415_and_nothing_runs(string contentType)
    {
        await server.CreateApplicationAsync("shop");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(RunJobTask));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await server.Http.PostAsync("/tasks", content);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["detail"]!.GetValue<string>().ShouldBe($"the request body must be JSON with Content-Type: application/json, not '{contentType}'");
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_json_body_without_a_content_type_is_refused_with_415()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"shop","email":"a@example.com"}"""));

        using var response = await server.Http.PostAsync("/applications", content);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.Content.ReadAsStringAsync()).ShouldContain("not '(none)'");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/vnd.spinnaker+json")]
    public async Task Json_media_types_with_or_without_a_charset_are_accepted(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"shop","email":"a@example.com"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await server.Http.PostAsync("/applications", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task A_host_header_that_is_not_an_allowed_name_is_refused_with_400(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/applications");
        request.Headers.Host = $"{host}:{server.Url.Port}";

        using var response = await server.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        detail.ShouldStartWith($"the Host header '{host}' is not one of the names this server answers to (");
        detail.ShouldContain("Mizzen:AllowedHosts");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("mizzen.internal")]
    public async Task Loopback_names_and_configured_hosts_are_answered(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/applications");
        request.Headers.Host = $"{host}:{server.Url.Port}";

        using var response = await server.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_bodyless_post_from_a_page_on_another_origin_is_refused_and_one_from_mizzens_own_origin_is_not()
    {
        await server.CreateApplicationAsync("shop");
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/pipelines/shop/anything");
        foreign.Headers.Add("Origin", "http://evil.example");
        using var refused = await server.Http.SendAsync(foreign);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("'http://evil.example'");

        using var own = new HttpRequestMessage(HttpMethod.Post, "/pipelines/shop/anything");
        own.Headers.Add("Origin", $"http://127.0.0.1:{server.Url.Port}");
        using var passed = await server.Http.SendAsync(own);
        passed.StatusCode.ShouldBe(HttpStatusCode.NotFound); // past the guard: there is no such pipeline
    }

    [Fact]
    public async Task A_page_on_another_port_of_the_same_host_is_another_origin_and_is_refused()
    {
        using var otherPort = new HttpRequestMessage(HttpMethod.Post, "/pipelines/shop/anything");
        otherPort.Headers.Add("Origin", $"http://127.0.0.1:{(server.Url.Port == 65535 ? 1 : server.Url.Port + 1)}");
        using var refused = await server.Http.SendAsync(otherPort);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("on this server's port");
    }
}
