using System.Diagnostics;

namespace Mizzen.Providers.Local.Benchmarks;

/// <summary>
/// Debian's nginx as the reference proxy: its own config, pid file, logs and temp folders in a temp folder, listening on a free
/// loopback port, workers running as the current user, keep-alive connections to the one upstream. Dispose stops it (and its workers).
/// </summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly Process master;
    private readonly string folder;
    private readonly string config;

    private Nginx(Process master, string folder, string config, int port)
    {
        this.master = master;
        this.folder = folder;
        this.config = config;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Url { get; }

    /// <summary>CPU time used so far by the master and its workers.</summary>
    public TimeSpan Cpu => ProcessCpu.OfProcessAndChildren(master.Id);

    public static async Task<Nginx> StartAsync(int upstreamPort, int port, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("mizzen-bench-nginx-").FullName;
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(folder, upstreamPort, port), cancellationToken);
        var master = Process.Start(new ProcessStartInfo("nginx", ["-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("nginx did not start");
        return new Nginx(master, folder, config, port);
    }

    /// <summary>Workers = cores (nginx's "auto"), like Kestrel's thread pool; no access log (Mizzen's load balancer writes none either).</summary>
    private static string Config(string folder, int upstreamPort, int port)
    {
        // Started by root, nginx's workers would switch to "nobody": name the current user instead. Otherwise the directive is ignored.
        var user = Environment.UserName == "root" ? "user root;" : string.Empty;
        return $$"""
            {{user}}
            daemon off;
            master_process on;
            worker_processes auto;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                upstream instance {
                    server 127.0.0.1:{{upstreamPort}};
                    keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://instance;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header X-Forwarded-For $remote_addr;
                    }
                }
            }
            """;
    }

    public async ValueTask DisposeAsync()
    {
        if (!master.HasExited)
        {
            // "quit" is nginx's graceful stop: the master ends its workers, then itself.
            using var quit = Process.Start("nginx", ["-p", folder, "-c", config, "-s", "quit"]);
            await quit.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await master.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                master.Kill(entireProcessTree: true);
            }
        }

        master.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
