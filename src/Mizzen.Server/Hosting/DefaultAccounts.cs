namespace Mizzen.Server.Hosting;

/// <summary>
/// When no accounts are configured, one <c>local</c> account is created in the data folder; the demo adds
/// <c>staging</c> and <c>prod</c> (two local "regions"). Configured accounts (mizzen.json, MIZZEN_ variables) win.
/// </summary>
internal static class DefaultAccounts
{
    public static void Apply(ConfigurationManager configuration, ServeArguments arguments)
    {
        if (configuration.GetSection("Mizzen:Accounts").GetChildren().Any())
        {
            return;
        }

        var accounts = arguments.Demo
            ? new[] { ("staging", "21000-21099"), ("prod", "21100-21199"), ("local", "21200-21299") }
            : [("local", "21200-21299")];
        for (var i = 0; i < accounts.Length; i++)
        {
            var (name, ports) = accounts[i];
            configuration[$"Mizzen:Accounts:{i}:name"] = name;
            configuration[$"Mizzen:Accounts:{i}:type"] = "local";
            configuration[$"Mizzen:Accounts:{i}:workingFolder"] = Path.Combine(arguments.DataFolder, "accounts", name);
            configuration[$"Mizzen:Accounts:{i}:portRange"] = ports;
        }
    }
}
