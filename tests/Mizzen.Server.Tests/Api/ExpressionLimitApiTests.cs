using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Api;

/// <summary>
/// The evaluateExpression API with expressions built to exhaust memory (issue 8: a 309-character YAML alias bomb drove
/// the server to 21 GB): each is an ordinary failed evaluation naming the bound, and the server keeps answering.
/// </summary>
public sealed class ExpressionLimitApiTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task An_alias_bomb_and_a_doubling_chain_fail_as_evaluations_and_the_server_keeps_answering()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"quick","stages":[{"refId":"1","type":"wait","name":"w","waitTime":0}]}""")).EnsureSuccessStatusCode();
        var started = await server.PostJsonAsync("/pipelines/shop/quick", "{}");
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "SUCCEEDED");
        var levels = new List<string> { "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]" };
        for (var c = 'b'; c <= 'i'; c++)
        {
            levels.Add($"{c}: &{c} [{string.Join(",", Enumerable.Repeat($"*{(char)(c - 1)}", 9))}]");
        }

        var bomb = "#readAllYaml('{" + string.Join(", ", levels) + "}')";
        var doubling = "'x'" + string.Concat(Enumerable.Repeat(".replace('x', 'xx')", 40));

        foreach (var (expression, bound) in new[] { (bomb, "Mizzen:Expressions:Documents:MaxNodes"), (doubling, "Mizzen:Expressions:MaxResultLength") })
        {
            var response = await server.Http.GetAsync($"/pipelines/{id}/evaluateExpression?expression={Uri.EscapeDataString(expression)}");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            body["detail"]!.ToJsonString().ShouldContain(bound);
            body["detail"]!.ToJsonString().ShouldContain("ExpressionLimitExceededException");
        }

        (await server.GetJsonAsync($"/pipelines/{id}/evaluateExpression?expression=1%2B1"))["result"]!.GetValue<int>().ShouldBe(2);
    }
}
