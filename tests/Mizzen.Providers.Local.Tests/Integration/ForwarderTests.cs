using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Providers.Local.LoadBalancing;
using Mizzen.Providers.Local.Tests.Infrastructure;
using Yarp.ReverseProxy.Forwarder;

namespace Mizzen.Providers.Local.Tests.Integration;

public sealed class ForwarderTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_refused_connection_leaves_the_response_untouched_so_the_same_request_can_go_to_another_instance()
    {
        using var refusingSocket = RefusingSocket();
        var refusing = new Uri($"http://127.0.0.1:{((IPEndPoint)refusingSocket.LocalEndPoint!).Port}");
        await using var backend = await StartAsync(services => { }, context => context.Response.WriteAsync($"answered {context.Request.Path}", context.RequestAborted));
        var outcomes = new List<ForwardOutcome>();
        await using var proxy = await StartAsync(
            services => services.AddHttpForwarder(),
            async context =>
            {
                using var forwarder = new YarpRequestForwarder(context.RequestServices.GetRequiredService<IHttpForwarder>());
                outcomes.Add(await forwarder.ForwardAsync(context, refusing, context.RequestAborted));
                outcomes.Add(await forwarder.ForwardAsync(context, Address(backend), context.RequestAborted));
            });

        using var response = await HttpProbe.Client.GetAsync(new Uri(Address(proxy), "/orders?id=7"), None);

        outcomes.ShouldBe([ForwardOutcome.ConnectFailed, ForwardOutcome.Forwarded]);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(None)).ShouldBe("answered /orders");
    }

    /// <summary>
    /// A port that refuses connections for as long as the test runs: bound but not listening (a connect gets a reset), and held, so no
    /// other test's listener can take it meanwhile (a port freed and handed back could be taken and then accept, and never answer).
    /// </summary>
    private static Socket RefusingSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task<WebApplication> StartAsync(Action<IServiceCollection> configure, RequestDelegate handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        configure(builder.Services);
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(None);
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
