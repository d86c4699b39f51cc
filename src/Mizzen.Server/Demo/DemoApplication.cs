using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;

namespace Mizzen.Server.Demo;

/// <summary>Creates application <c>demo</c> when it does not exist.</summary>
internal sealed class DemoApplication(IApplicationStore applications)
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (await applications.GetAsync(DemoEnvironment.Application, cancellationToken) is not null)
        {
            return;
        }

        await applications.SaveAsync(new Application
        {
            Name = DemoEnvironment.Application,
            Email = "demo@mizzen.local",
            Description = "Mizzen's first-run demo: a small web service deployed to staging and prod behind load balancers",
            LastModifiedBy = DemoPipelineSaver.User,
        }, cancellationToken);
    }
}
