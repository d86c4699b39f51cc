using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Mizzen.Server.Hosting;
using Mizzen.Triggers.Notifications;

namespace Mizzen.Server.Triggers;

/// <summary>
/// The address links in notifications point at: <c>Mizzen:Notifications:PublicUrl</c>, else <c>Mizzen:PublicUrl</c>, else the address
/// the server listens on (read when the first notification is rendered, after the server started, so a port chosen at start is right).
/// Behind a proxy or on 0.0.0.0, set <c>Mizzen:PublicUrl</c>.
/// </summary>
internal sealed class NotificationPublicUrl(IConfiguration configuration, IServer server, ServeArguments arguments) : IPostConfigureOptions<NotificationOptions>
{
    public void PostConfigure(string? name, NotificationOptions options) =>
        options.PublicUrl ??= configuration["Mizzen:PublicUrl"] is { Length: > 0 } configured
            ? configured
            : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? arguments.Url;
}
