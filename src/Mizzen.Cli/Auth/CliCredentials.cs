using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizzen.Cli.Auth;

/// <summary>
/// The CLI's config file: one API token per server URL (<c>{"servers": {"http://host:8084": {"token": "mzn_…", "user": "alice"}}}</c>).
/// Written with mode 0600 (it holds secrets) through a temporary file and a rename, so a crash never leaves half a file.
/// </summary>
internal sealed class CliCredentials(string path, JsonObject root)
{
    public string Path { get; } = path;

    public static CliCredentials Load(string path)
    {
        if (!File.Exists(path))
        {
            return new CliCredentials(path, []);
        }

        try
        {
            return new CliCredentials(path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? []);
        }
        catch (JsonException e)
        {
            throw new CliException($"the CLI config file {path} is not valid JSON ({e.Message}); fix or delete it and run `mizzen login` again");
        }
    }

    public string? TokenFor(Uri server) => Servers()[Key(server)]?["token"]?.GetValue<string>();

    public void Store(Uri server, string token, string user)
    {
        Servers()[Key(server)] = new JsonObject { ["token"] = token, ["user"] = user };
        Save();
    }

    /// <summary>Forgets the server's token; false when there was none.</summary>
    public bool Remove(Uri server)
    {
        var removed = Servers().Remove(Key(server));
        if (removed)
        {
            Save();
        }

        return removed;
    }

    private JsonObject Servers() => root["servers"] as JsonObject ?? (JsonObject)(root["servers"] = new JsonObject());

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    private void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite); // also when an old .tmp was left with other bits
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
