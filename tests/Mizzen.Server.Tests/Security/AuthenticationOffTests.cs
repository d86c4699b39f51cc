using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Security;

/// <summary>Without <c>Mizzen:Auth</c> the server behaves as before: no sign-in, <c>X-Mizzen-User</c> names the caller, no tokens.</summary>
public sealed class AuthenticationOffTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task The_user_header_names_the_caller_and_tokens_are_refused_with_a_message_saying_how_to_turn_authentication_on()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/user");
        request.Headers.Add("X-Mizzen-User", "carol");
        var user = (await (await server.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>())!;
        user["username"]!.GetValue<string>().ShouldBe("carol");
        user["authenticated"]!.GetValue<bool>().ShouldBeFalse();

        using var created = await server.Http.PostAsJsonAsync("/auth/tokens", new { name = "x" });
        created.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await created.Content.ReadAsStringAsync()).ShouldContain("API tokens need authentication: configure Mizzen:Auth");
        (await server.Http.GetAsync("/applications")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
