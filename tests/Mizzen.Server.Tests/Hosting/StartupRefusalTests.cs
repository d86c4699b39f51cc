using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mizzen.Server.Tests.Durability;

namespace Mizzen.Server.Tests.Hosting;

/// <summary>A second <c>serve</c> that cannot run says why in one line and exits non-zero; the first one keeps running. Real processes, real sockets.</summary>
public sealed class StartupRefusalTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-refusal-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A server that is still exiting may hold a file; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_folder_exits_with_one_line_naming_the_first_servers_pid()
    {
        using var first = await ServerProcess.StartAsync(data, ServerProcess.FreePort());
        File.ReadAllText(Path.Combine(data, "mizzen.lock")).Trim().ShouldBe(first.Pid.ToString(CultureInfo.InvariantCulture));

        var second = await ServerProcess.RunToExitAsync(Within, "--port", Port(ServerProcess.FreePort()), "--data", data);

        second.Exit.ShouldBe(1);
        second.Err.TrimEnd('\n').Split('\n').ShouldHaveSingleItem()
            .ShouldBe($"mizzen: the data folder {data} is in use by another Mizzen server (pid {first.Pid}): stop it first, or give this one its own folder with --data DIR");
        second.Out.ShouldBeEmpty();
        using var client = new HttpClient();
        (await client.GetAsync(new Uri(first.Address, "/health/ready"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_server_whose_data_folder_was_held_by_a_killed_server_starts()
    {
        var port = ServerProcess.FreePort();
        using (var crashed = await ServerProcess.StartAsync(data, port))
        {
            crashed.Kill();
        }

        using var next = await ServerProcess.StartAsync(data, port);
        File.ReadAllText(Path.Combine(data, "mizzen.lock")).Trim().ShouldBe(next.Pid.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_the_port_and_what_to_do()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var refused = await ServerProcess.RunToExitAsync(Within, "--port", Port(port), "--data", data);

        refused.Exit.ShouldBe(1);
        refused.Err.TrimEnd('\n').Split('\n').ShouldHaveSingleItem()
            .ShouldBe($"mizzen: port {port} on 127.0.0.1 is already in use (another Mizzen server?): stop what listens there, or start this one with --port N");
        refused.Out.ShouldNotContain("Exception");
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
