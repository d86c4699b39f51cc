using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Server.Ui.Components;

namespace Mizzen.Server.Ui;

/// <summary>
/// The web UI: Razor components rendered by the server (static rendering for pages, interactive server components for what updates
/// live or acts on a run). Its pages live under <c>/</c> and <c>/ui/</c>, so no page shadows an API route; its assets are served by
/// Mizzen itself (no CDN).
/// </summary>
public static class UiRegistration
{
    public static IServiceCollection AddMizzenUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.TryAddSingleton<LiveLogReaders>();
        return services;
    }

    /// <summary>
    /// A browser's GET of an address no route matches is sent to the UI's 404 page, which names the address; an API client (no
    /// <c>text/html</c> in Accept) keeps its problem JSON, and a route's own 404 (an unknown execution) keeps its answer.
    /// </summary>
    public static IApplicationBuilder UseUiNotFoundPage(this IApplicationBuilder app) =>
        app.UseWhen(AcceptsHtml, branch => branch.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response is { StatusCode: StatusCodes.Status404NotFound, HasStarted: false } && context.GetEndpoint() is null)
            {
                context.Response.Redirect($"{UiPaths.NotFound}?path={Uri.EscapeDataString(context.Request.PathBase + context.Request.Path)}");
            }
        }));

    public static WebApplication MapMizzenUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool AcceptsHtml(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
