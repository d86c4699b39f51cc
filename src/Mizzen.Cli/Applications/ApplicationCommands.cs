using System.CommandLine;
using System.Text.Json.Nodes;
using Mizzen.Cli.Http;
using Mizzen.Cli.Output;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Applications;

/// <summary><c>mizzen app list|get|save|delete</c>: Gate's <c>/applications</c>.</summary>
internal static class ApplicationCommands
{
    public static Command Create(CliCommand cli) => CliCommand.Group("app", "Applications: list, show, create or update, delete",
        List(cli), Get(cli), Save(cli), Delete(cli));

    private static Command List(CliCommand cli)
    {
        var command = new Command("list", "List applications");
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.GetAsync("applications", cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var applications = Answers.As<List<Application>>(answer, "list of applications");
            TableRenderer.Write(context.Out, ["name", "email", "description"],
                applications.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => new[] { a.Name, a.Email, a.Description }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliCommand cli)
    {
        var name = new Argument<string>("NAME") { Description = "application name" };
        var command = new Command("get", "Show one application") { name };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.GetAsync(ApiPath.Of("applications", context.Value(name)), cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer);
                return ExitCodes.Success;
            }

            var application = Answers.As<Application>(answer, "application");
            FieldList.Write(context.Out,
                ("name", application.Name),
                ("email", application.Email),
                ("description", application.Description),
                ("created", Display.Time(application.CreateTs, context.Clock)),
                ("updated", Display.Time(application.UpdateTs, context.Clock)),
                ("last modified by", application.LastModifiedBy),
                ("permissions", application.Permissions?.ToJsonString()));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Save(CliCommand cli)
    {
        var file = new Option<string?>("--file", "-f") { Description = "application JSON ({name, email, description, ...})", HelpName = "FILE" };
        var name = new Option<string?>("--name") { Description = "application name", HelpName = "N" };
        var email = new Option<string?>("--email") { Description = "owner email", HelpName = "E" };
        var description = new Option<string?>("--description") { Description = "what the application is", HelpName = "D" };
        var command = new Command("save", "Create or update an application (-f FILE, or --name and --email)") { file, name, email, description };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var body = await BodyAsync(context.Value(file), context.Value(name), context.Value(email), context.Value(description), context.Error, cancellationToken);
            var answer = await context.Client.SendAsync(HttpMethod.Post, "applications", body, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer ?? body);
            }
            else
            {
                context.Out.WriteLine($"saved application {(answer as JsonObject)?["name"].AsString() ?? body["name"].AsString()}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<JsonObject> BodyAsync(string? file, string? name, string? email, string? description, TextWriter warnings, CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            if (name is not null || email is not null || description is not null)
            {
                throw CliException.Usage("give either -f FILE or --name/--email/--description, not both");
            }

            var fromFile = await InputFiles.ReadObjectAsync(file, warnings, cancellationToken);
            return fromFile["name"] is null ? throw CliException.Usage($"{file} has no \"name\"") : fromFile;
        }

        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(email))
        {
            throw CliException.Usage("app save needs -f FILE, or --name and --email");
        }

        var body = new JsonObject { ["name"] = name, ["email"] = email };
        if (description is not null)
        {
            body["description"] = description;
        }

        return body;
    }

    private static Command Delete(CliCommand cli)
    {
        var name = new Argument<string>("NAME") { Description = "application name" };
        var command = new Command("delete", "Delete an application") { name };
        cli.Handle(command, async (context, cancellationToken) =>
        {
            var answer = await context.Client.SendAsync(HttpMethod.Delete, ApiPath.Of("applications", context.Value(name)), null, cancellationToken);
            if (context.Json)
            {
                context.WriteJson(answer ?? new JsonObject { ["deleted"] = context.Value(name) });
            }
            else
            {
                context.Out.WriteLine($"deleted application {context.Value(name)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
