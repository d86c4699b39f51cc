using System.Text.Json;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Applications;

/// <summary>Gate's application routes.</summary>
public static class ApplicationEndpoints
{
    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/applications").WithTags("Applications");
        group.MapGet("/", async (HttpContext http, IApplicationStore store, PermissionEvaluator permissions, CancellationToken ct) =>
            TypedResults.Ok(await permissions.ReadableAsync(http.Caller(), await store.ListAsync(ct), a => a.Name, ct)));
        group.MapGet("/{app}", async (string app, IApplicationStore store, CancellationToken ct) =>
            TypedResults.Ok(await store.GetAsync(app, ct) ?? throw new NotFoundException($"application '{app}' does not exist")));
        group.MapPost("/", async (HttpContext http, IApplicationStore store, PermissionEvaluator permissions, CancellationToken ct) =>
        {
            var json = await RequestBody.ReadObjectAsync(http.Request, ct);
            var application = json.Deserialize<Application>(MizzenJson.Options) ?? throw new ValidationException("body", "an application is required");
            ApplicationRules.Check(application);
            await permissions.DemandApplicationAsync(http.Caller(), application.Name, Access.Write, ct); // a new application is unrestricted until saved
            application.LastModifiedBy = http.User();
            await store.SaveAsync(application, ct);
            http.RequestServices.GetRequiredService<IApplicationPermissions>().Forget(application.Name);
            return TypedResults.Ok(await store.GetAsync(application.Name, ct));
        });
        group.MapDelete("/{app}", async (string app, IApplicationStore store, IApplicationPermissions permissions, CancellationToken ct) =>
        {
            var deleted = await store.DeleteAsync(app, ct);
            permissions.Forget(app);
            return deleted ? Results.NoContent() : throw new NotFoundException($"application '{app}' does not exist");
        });
        return routes;
    }
}
