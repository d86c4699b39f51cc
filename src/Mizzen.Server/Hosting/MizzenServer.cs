using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mizzen.Canary;
using Mizzen.Core.Json;
using Mizzen.Expressions;
using Mizzen.Orchestration;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence;
using Mizzen.Server.Applications;
using Mizzen.Server.Artifacts;
using Mizzen.Server.Audit;
using Mizzen.Server.Clusters;
using Mizzen.Server.Canary;
using Mizzen.Server.Demo;
using Mizzen.Server.Errors;
using Mizzen.Server.Executions;
using Mizzen.Server.Expressions;
using Mizzen.Server.Health;
using Mizzen.Server.Metrics;
using Mizzen.Server.Pipelines;
using Mizzen.Server.Security.Authentication;
using Mizzen.Server.Security.Authorization;
using Mizzen.Server.Triggers;
using Mizzen.Server.Ui;
using Mizzen.Server.Webhooks;

namespace Mizzen.Server.Hosting;

/// <summary>Composes the server: the store, the engine, stage types, providers, canary analysis and the HTTP API.</summary>
public static class MizzenServer
{
    /// <summary>
    /// Builds the server. It holds <c>&lt;data&gt;/mizzen.lock</c> from here until it is disposed; a data folder that another server holds
    /// throws <see cref="DataFolderInUseException"/> before anything in it is touched. <paramref name="configureServices"/> runs after
    /// every registration (a test host adds a cloud provider of its own there).
    /// </summary>
    public static WebApplication Build(ServeArguments arguments, string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var dataLock = DataFolderLock.Acquire(arguments.DataFolder);
        try
        {
            return Build(arguments, args, dataLock, configureServices);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }
    }

    private static WebApplication Build(ServeArguments arguments, string[] args, DataFolderLock dataLock, Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Settings are read once at start (mizzen.json and MIZZEN_ variables). Reloading on change would watch the content root,
            // the working directory, which on Linux means an inotify watch on every folder below it: 100-150 ms of start-up from a
            // repository checkout, and unbounded from a home folder.
            Args = [.. args.SkipWhile(a => a == "serve" || a.StartsWith("--", StringComparison.Ordinal)), "--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = typeof(MizzenServer).Assembly.GetName().Name, // the UI's static assets are found by this name, also when a test hosts the server
            // The UI's files are beside the binaries (a published build's wwwroot), not in whatever folder `serve` was started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseStaticWebAssets(); // the UI's stylesheet and Blazor's script, from the build output (no CDN)
        var settingsFile = Path.Combine(arguments.DataFolder, "mizzen.json");
        builder.Configuration.AddJsonFile(settingsFile, optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables("MIZZEN_");
        builder.Configuration["Mizzen:Storage:DataFolder"] = arguments.DataFolder;
        DefaultAccounts.Apply(builder.Configuration, arguments);
        HttpsServing.Listen(builder, arguments); // http, or https with Mizzen:Https's certificate
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, MizzenJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemResults>();
        services.AddMizzenStore(builder.Configuration);
        services.AddMizzenExpressions();
        services.AddOptions<Mizzen.Expressions.ExpressionOptions>().Bind(builder.Configuration.GetSection(Mizzen.Expressions.ExpressionOptions.SectionName));
        services.AddExpressionLookups();
        services.AddMizzenEngine(builder.Configuration);
        services.AddSecretsAndPreconfiguredWebhooks(builder.Configuration); // before AddCoreStages: the webhook tasks take the secret store
        services.AddCoreStages();
        services.Configure<Mizzen.Orchestration.Artifacts.ArtifactOptions>(builder.Configuration.GetSection(Mizzen.Orchestration.Artifacts.ArtifactOptions.SectionName));
        services.Configure<Mizzen.Orchestration.Stages.ExecutionWindow.ExecutionWindowOptions>(builder.Configuration.GetSection(Mizzen.Orchestration.Stages.ExecutionWindow.ExecutionWindowOptions.SectionName));
        services.AddServerGroupStages();
        services.Configure<Mizzen.Orchestration.Clouds.Guards.TrafficGuardOptions>(builder.Configuration.GetSection(Mizzen.Orchestration.Clouds.Guards.TrafficGuardOptions.SectionName));
        services.Configure<Mizzen.Orchestration.Stages.Webhook.WebhookOptions>(builder.Configuration.GetSection(Mizzen.Orchestration.Stages.Webhook.WebhookOptions.SectionName));
        services.AddLocalProvider(builder.Configuration);
        services.AddKubernetesProvider(builder.Configuration);
        services.AddSingleton<Nodes.OwnerNodes>();
        services.AddHttpClient(Nodes.OwnerNodes.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false });
        services.AddMizzenCanary(builder.Configuration);
        services.AddServerCanary();
        services.AddMizzenTriggers();
        services.Configure<Mizzen.Triggers.Cron.CronOptions>(builder.Configuration.GetSection(Mizzen.Triggers.Cron.CronOptions.SectionName));
        services.Configure<Mizzen.Triggers.Notifications.NotificationOptions>(builder.Configuration.GetSection(Mizzen.Triggers.Notifications.NotificationOptions.SectionName));
        services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<Mizzen.Triggers.Notifications.NotificationOptions>, NotificationPublicUrl>();
        services.Configure<Mizzen.Triggers.PubSub.GooglePubSubOptions>(builder.Configuration.GetSection(Mizzen.Triggers.PubSub.GooglePubSubOptions.SectionName));
        services.AddSingleton(arguments);
        services.AddOptions<Security.RequestOriginOptions>().Bind(builder.Configuration.GetSection(Security.RequestOriginOptions.SectionName));
        services.AddSingleton<Security.AllowedHosts>();
        var behindProxy = TrustedProxies.Configure(services, builder.Configuration); // Mizzen:Proxy: whose X-Forwarded-For/Proto to believe
        services.AddMizzenAuthentication(builder.Configuration);
        services.AddMizzenPermissions(builder.Configuration);
        services.AddSingleton(_ => dataLock); // a factory, so the container disposes it (last: it is created first, below)
        services.AddMizzenDemo(arguments);
        services.AddMizzenUi();
        configureServices?.Invoke(services);
        services.AddMizzenAudit(builder.Configuration); // last: it decorates the runner and the config stores registered above

        var app = builder.Build();
        BindSafety.Check(arguments, app.Configuration, app.Logger); // before anything listens: no port is opened without authentication
        app.Services.GetRequiredService<DataFolderLock>();
        _ = app.Services.GetRequiredService<BootstrapToken>(); // a bootstrap token that is missing or too short stops startup, naming the setting
        _ = app.Services.GetRequiredService<Mizzen.Orchestration.Artifacts.ArtifactAccounts>().All; // a bad Mizzen:Artifacts:Accounts entry stops startup, naming it
        _ = app.Services.GetRequiredService<Mizzen.Orchestration.Stages.PreconfiguredWebhook.PreconfiguredWebhooks>(); // so does a preconfigured webhook named as a built-in stage type
        if (behindProxy)
        {
            app.UseForwardedHeaders(); // first: the audit log, the throttle, the cookie's Secure flag and OIDC's callback see the client's view
        }

        app.UseMiddleware<AuditMiddleware>(); // outermost: it records the status the exception handler chose
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseUiNotFoundPage(); // inside UseStatusCodePages, so a browser's 404 becomes the page before the problem JSON is written
        app.UseMiddleware<Security.RequestOriginGuard>();
        app.UseMizzenAuthentication();
        app.UseMizzenPermissions();
        app.UseAntiforgery();
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        app.MapApplicationEndpoints();
        app.MapPipelineConfigEndpoints();
        app.MapExecutionEndpoints();
        app.MapExecutionStreamEndpoints();
        app.MapClusterEndpoints();
        app.MapCanaryEndpoints();
        app.MapTriggerEndpoints();
        app.MapPubSubEndpoints();
        app.MapArtifactEndpoints();
        app.MapAuthEndpoints();
        app.MapAuditEndpoints();
        app.MapPreconfiguredWebhookEndpoints();
        app.MapMizzenUi();
        return app;
    }
}
