using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Canary.Configs;
using Mizzen.Core.Errors;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Pipelines;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Tests.Configuration;

/// <summary>
/// Settings in <c>&lt;data&gt;/mizzen.json</c> reach the parts they configure, and the expression helpers that read the stores
/// are wired: the server is composed exactly as <c>./mizzen serve</c> composes it (not started; its services are used directly).
/// </summary>
public sealed class ServerSettingsTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-settings-test-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public async Task Url_helpers_fetch_a_loopback_host_only_once_the_operator_allows_it_in_mizzen_json()
    {
        using var listener = Listen(out var port);
        var serving = ServeOnceAsync(listener, "{\"env\": \"prod\"}");
        var expression = $"#jsonFromUrl('http://127.0.0.1:{port}/config').env";

        await using (var defaults = Build())
        {
            var refused = defaults.Services.GetRequiredService<IExpressionEvaluator>().Evaluate(expression, new ExpressionScope(Root: []));
            refused.Error.ShouldNotBeNull().ShouldContain("Mizzen:Expressions:Url:AllowedHosts");
        }

        await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"), """{"Mizzen": {"Expressions": {"Url": {"AllowedHosts": ["127.0.0.1"]}}}}""");
        await using var allowed = Build();
        var fetched = allowed.Services.GetRequiredService<IExpressionEvaluator>().Evaluate(expression, new ExpressionScope(Root: []));

        fetched.Error.ShouldBeNull();
        fetched.Value!.GetValue<string>().ShouldBe("prod");
        (await serving).ShouldBe("/config");
    }

    [Fact]
    public async Task Expression_document_and_memory_bounds_are_read_from_mizzen_json()
    {
        await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"),
            """{"Mizzen": {"Expressions": {"MaxEvaluationBytes": 4096, "Documents": {"MaxNodes": 10, "MaxAliases": 1}}}}""");
        await using var app = Build();
        var evaluator = app.Services.GetRequiredService<IExpressionEvaluator>();
        var scope = new ExpressionScope(Root: []);

        evaluator.Evaluate("#readYaml('[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]')", scope).Error.ShouldNotBeNull()
            .ShouldContain("the YAML expands to more than 10 values (aliases counted as copies); the limit is Mizzen:Expressions:Documents:MaxNodes");
        evaluator.Evaluate("#readYaml('{a: &a [1], b: *a, c: *a}')", scope).Error.ShouldNotBeNull()
            .ShouldContain("Mizzen:Expressions:Documents:MaxAliases");
        evaluator.Evaluate("'x'.repeat(1000) + 'x'.repeat(1000) + 'y'", scope).Error.ShouldNotBeNull()
            .ShouldContain("Mizzen:Expressions:MaxEvaluationBytes");
        evaluator.Evaluate("#readYaml('{a: &a [1], b: *a}').b[0]", scope).Value!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_webhook_allow_list_entry_that_is_not_a_url_is_refused_naming_the_setting()
    {
        await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"),
            """{"Mizzen": {"Webhook": {"AllowedUrlPrefixes": ["https://ci.example.com/hooks", "http://user:secret@ci.example.com/"]}}}""");
        await using var app = Build();

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Mizzen.Orchestration.Stages.Webhook.WebhookOptions>>().Value);

        error.Message.ShouldContain("Mizzen:Webhook:AllowedUrlPrefixes: 'http://user:secret@ci.example.com/'");
    }

    [Fact]
    public async Task Pipeline_and_application_helpers_read_the_stored_pipelines_and_applications()
    {
        await using var app = Build();
        await app.Services.GetRequiredService<IApplicationStore>().SaveAsync(new Application { Name = "Shop", Email = "team@example.com" }, CancellationToken.None);
        await app.Services.GetRequiredService<IPipelineConfigStore>().SaveAsync(
            PipelineConfig.Parse("""{"id":"cfg-deploy","application":"shop","name":"Deploy","stages":[]}"""), "test", CancellationToken.None);
        var evaluator = app.Services.GetRequiredService<IExpressionEvaluator>();

        var id = evaluator.Evaluate("#pipelineIdInApplication('deploy', 'SHOP')", new ExpressionScope(Root: []));
        var missing = evaluator.Evaluate("#pipelineIdInApplication('nope', 'shop')", new ExpressionScope(Root: []));
        var email = evaluator.Evaluate("#applicationMetadata('shop').email", new ExpressionScope(Root: []));
        var unknown = evaluator.Evaluate("#applicationMetadata('other')", new ExpressionScope(Root: []));

        id.Value!.GetValue<string>().ShouldBe("cfg-deploy");
        missing.Error.ShouldBeNull();
        missing.Value.ShouldBeNull();
        email.Value!.GetValue<string>().ShouldBe("team@example.com");
        unknown.Error.ShouldNotBeNull().ShouldContain("Application 'other' could not be found");
    }

    [Fact]
    public async Task An_unknown_storage_provider_is_refused_at_start_naming_the_setting()
    {
        await File.WriteAllTextAsync(Path.Combine(data, "mizzen.json"), """{"Mizzen": {"Storage": {"Provider": "oracle"}}}""");

        var error = Should.Throw<ValidationException>(Build);

        error.Message.ShouldContain("Mizzen:Storage:Provider");
        error.Message.ShouldContain("'oracle'");
    }

    [Fact]
    public async Task CanaryConfigNameToId_finds_a_stored_canary_config_by_name()
    {
        await using var app = Build();
        var stored = await app.Services.GetRequiredService<ICanaryConfigStore>().SaveAsync(
            "shop", CanaryConfigJson.Parse("""{"name":"shop-canary","metrics":[{"name":"errors","groups":["g"],"query":{"type":"embedded","metricName":"error_rate"}}]}"""), "test", CancellationToken.None);
        var evaluator = app.Services.GetRequiredService<IExpressionEvaluator>();

        var found = evaluator.Evaluate("#canaryConfigNameToId('shop-canary', 'shop')", new ExpressionScope(Root: []));
        var missing = evaluator.Evaluate("#canaryConfigNameToId('shop-canary', 'other-app')", new ExpressionScope(Root: []));

        found.Value!.GetValue<string>().ShouldBe(stored.Id);
        missing.Error.ShouldNotBeNull().ShouldContain("Unable to find canary config with name 'shop-canary' in application 'other-app'");
    }

    private WebApplication Build() => MizzenServer.Build(new ServeArguments(0, data, "127.0.0.1", Demo: false), []);

    private static HttpListener Listen(out int port)
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        return listener;
    }

    /// <summary>Answers the first request with <paramref name="body"/> and returns its path.</summary>
    private static async Task<string> ServeOnceAsync(HttpListener listener, string body)
    {
        var context = await listener.GetContextAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
        return context.Request.Url!.AbsolutePath;
    }
}
