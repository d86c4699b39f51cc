using Microsoft.Extensions.DependencyInjection;
using Mizzen.Expressions;
using Mizzen.Orchestration.Artifacts;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>The artifact services as the server registers them, with the accounts and allowed hosts a test gives.</summary>
internal static class ArtifactFetching
{
    public static ServiceProvider Services(Action<ArtifactOptions>? accounts = null, params string[] allowedHosts) =>
        new ServiceCollection()
            .AddMizzenArtifacts()
            .Configure<ArtifactOptions>(o => accounts?.Invoke(o))
            .Configure<ExpressionOptions>(o =>
            {
                foreach (var host in allowedHosts)
                {
                    o.Url.AllowedHosts.Add(host);
                }
            })
            .BuildServiceProvider();

    public static IArtifactFetcher Fetcher(this ServiceProvider services) => services.GetRequiredService<IArtifactFetcher>();

    public static ArtifactAccountOptions Account(string name, string type, string? token = null, string? baseUrl = null, string? username = null, string? password = null)
    {
        var account = new ArtifactAccountOptions { Name = name, Token = token, BaseUrl = baseUrl, Username = username, Password = password };
        account.Types.Add(type);
        return account;
    }
}
