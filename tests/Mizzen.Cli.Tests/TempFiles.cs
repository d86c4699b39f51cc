namespace Mizzen.Cli.Tests;

/// <summary>Files a test writes for the CLI to read; deleted with the instance.</summary>
public sealed class TempFiles : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-cli-tests-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
