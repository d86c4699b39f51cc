using System.Net.WebSockets;
using System.Text;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class WebSocketTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_WebSocket_upgrades_through_the_load_balancer_and_counts_as_in_flight_until_it_closes()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, version: "ws") with { LoadBalancers = ["sockets"] }, None);
        await harness.WaitUpAsync("staging", name, 1);
        var lb = (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "sockets", None))!;
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new UriBuilder(lb.Url) { Scheme = "ws", Path = "/echo" }.Uri, None);

        (await EchoAsync(socket, "hello")).ShouldBe("ws: hello");
        (await EchoAsync(socket, "again")).ShouldBe("ws: again");
        LoadBalancerMetrics.Read(harness)[LoadBalancerMetrics.Active("staging", name)].ShouldBe(1);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", None);

        socket.State.ShouldBe(WebSocketState.Closed);
        await Eventually.Until(
            () => Task.FromResult(LoadBalancerMetrics.Read(harness)[LoadBalancerMetrics.Active("staging", name)] == 0), TimeSpan.FromSeconds(5), "the closed socket leaving the in-flight count");
        LoadBalancerMetrics.Read(harness)[LoadBalancerMetrics.Requests("staging", name, "1xx")].ShouldBe(1);
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string message)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, None);
        received.MessageType.ShouldBe(WebSocketMessageType.Text);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
