using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Output;

namespace Mizzen.Cli.Auth;

/// <summary>
/// <c>mizzen login</c> / <c>logout</c> (an API token kept per server in the CLI's config file, sent as a bearer token on every request)
/// and <c>mizzen token create|list|revoke</c>.
/// </summary>
internal static class AuthCommands
{
    public static IEnumerable<Command> Create(CliCommand cli) => [Login(cli), Logout(cli), Tokens(cli)];

    private static Command Login(CliCommand cli)
    {
        var token = new Option<string?>("--token") { Description = "an API token to store (from POST /auth/tokens or the UI) instead of a password", HelpName = "mzn_…" };
        var username = new Option<string?>("--username") { Description = "the directory user name (asked for when missing)", HelpName = "NAME" };
        var command = new Command("login", "Sign in: asks for user name and password (LDAP) and stores an API token for this server in the CLI's config file (mode 0600)")
        {
            token, username,
        };
        cli.Handle(command, async (context, ct) =>
        {
            var server = context.ServerUri();
            string secret;
            if (context.Value(token) is { Length: > 0 } given)
            {
                secret = given;
            }
            else
            {
                var user = context.Value(username) is { Length: > 0 } name ? name : context.Settings.ReadSecret("User name: ")?.Trim();
                if (string.IsNullOrEmpty(user))
                {
                    throw CliException.Usage("a user name is required (--username NAME)");
                }

                var password = context.Settings.ReadSecret("Password: ");
                if (string.IsNullOrEmpty(password))
                {
                    throw CliException.Usage("a password is required (typed at the prompt, or one line on standard input)");
                }

                using var anonymous = context.ClientWith(null);
                var created = await anonymous.SendAsync(HttpMethod.Post, "auth/login?as=token",
                    new JsonObject { ["username"] = user, ["password"] = password, ["tokenName"] = $"mizzen CLI on {Environment.MachineName}" }, ct);
                secret = created?["token"]?.GetValue<string>() ?? throw new CliException($"{context.Client.ServerText} answered the sign-in without a token");
            }

            using var client = context.ClientWith(secret);
            var me = await client.GetAsync("auth/user", ct);
            if (me?["authenticated"]?.GetValue<bool>() != true)
            {
                throw new CliException($"{client.ServerText} did not accept the token (is authentication on there?)");
            }

            var signedIn = me["username"]!.GetValue<string>();
            var credentials = context.Credentials;
            credentials.Store(server, secret, signedIn);
            context.Out.WriteLine($"signed in to {client.ServerText} as {signedIn}; token stored in {credentials.Path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Logout(CliCommand cli)
    {
        var command = new Command("logout", "Revoke the stored API token of this server and forget it");
        cli.Handle(command, async (context, ct) =>
        {
            var server = context.ServerUri();
            var credentials = context.Credentials;
            if (credentials.TokenFor(server) is not { } secret)
            {
                context.Out.WriteLine($"not signed in to {server.GetLeftPart(UriPartial.Authority)}");
                return ExitCodes.Success;
            }

            try
            {
                using var client = context.ClientWith(secret);
                await client.SendAsync(HttpMethod.Delete, $"auth/tokens/{Uri.EscapeDataString(TokenId(secret))}", null, ct);
            }
            catch (CliException e) when (e.ExitCode == ExitCodes.Failed)
            {
                // Already revoked or expired: forgetting it is all that is left to do.
            }

            credentials.Remove(server);
            context.Out.WriteLine($"signed out of {server.GetLeftPart(UriPartial.Authority)}; token revoked");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tokens(CliCommand cli)
    {
        var name = new Option<string>("--name") { Description = "what uses the token (a CI job, a script)", HelpName = "NAME", Required = true };
        var scope = new Option<string>("--scope") { Description = "full (the default) or read (list and watch, change nothing)", HelpName = "full|read", DefaultValueFactory = _ => "full" };
        var expires = new Option<string?>("--expires") { Description = "expiry, e.g. 2027-01-31T00:00:00Z (default: the server's, 90 days)", HelpName = "TIME" };
        var create = new Command("create", "Create an API token; it is printed once and never shown again") { name, scope, expires };
        cli.Handle(create, async (context, ct) =>
        {
            var body = new JsonObject { ["name"] = context.Value(name), ["scope"] = context.Value(scope) };
            if (context.Value(expires) is { } at)
            {
                body["expiresAt"] = at;
            }

            var token = await context.Client.SendAsync(HttpMethod.Post, "auth/tokens", body, ct);
            if (context.Json)
            {
                context.WriteJson(token);
            }
            else
            {
                context.Out.WriteLine(token!["token"]!.GetValue<string>());
                context.Error.WriteLine($"token {token["id"]} ({token["scope"]}, expires {token["expiresAt"]}): copy it now, it is not shown again");
            }

            return ExitCodes.Success;
        });

        var list = new Command("list", "List your API tokens (never their secrets)");
        cli.Handle(list, async (context, ct) =>
        {
            var tokens = await context.Client.GetAsync("auth/tokens", ct) as JsonArray ?? [];
            if (context.Json)
            {
                context.WriteJson(tokens);
                return ExitCodes.Success;
            }

            TableRenderer.Write(context.Out, ["ID", "NAME", "SCOPE", "EXPIRES"],
                tokens.Select(t => (IReadOnlyList<string?>)[t!["id"]?.ToString(), t["name"]?.ToString(), t["scope"]?.ToString(), t["expiresAt"]?.ToString()]));
            return ExitCodes.Success;
        });

        var id = new Argument<string>("id") { Description = "the token's id (from `mizzen token list`)" };
        var revoke = new Command("revoke", "Revoke an API token at once") { id };
        cli.Handle(revoke, async (context, ct) =>
        {
            await context.Client.SendAsync(HttpMethod.Delete, $"auth/tokens/{Uri.EscapeDataString(context.Value(id))}", null, ct);
            context.Out.WriteLine($"token {context.Value(id)} revoked");
            return ExitCodes.Success;
        });
        return CliCommand.Group("token", "API tokens for scripts and automation: create, list, revoke", create, list, revoke);
    }

    /// <summary>The id inside <c>mzn_{id}_{secret}</c>.</summary>
    private static string TokenId(string secret) =>
        secret.StartsWith("mzn_", StringComparison.Ordinal) && secret.IndexOf('_', 4) is > 4 and var end ? secret[4..end] : secret;
}
