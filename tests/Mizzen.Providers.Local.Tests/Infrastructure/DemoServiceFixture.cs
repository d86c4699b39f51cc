using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Mizzen.Providers.Local.Tests.Infrastructure;

/// <summary>Builds samples/demo-service once per test run and makes bundles of it (folder, zip, tar.gz).</summary>
public sealed class DemoServiceFixture : IDisposable
{
    public DemoServiceFixture()
    {
        Root = Directory.CreateTempSubdirectory("mizzen-demo-").FullName;
        BundleFolder = Path.Combine(Root, "bundle");
        var project = Path.Combine(RepositoryRoot(), "samples", "demo-service", "demo-service.csproj");
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-o", BundleFolder, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(TimeSpan.FromMinutes(3)) || build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building samples/demo-service failed:\n{output.Result}\n{errors.Result}");
        }

        File.Copy(Path.Combine(RepositoryRoot(), "samples", "demo-service", "Procfile"), Path.Combine(BundleFolder, "Procfile"), overwrite: true);
        ZipBundle = Path.Combine(Root, "demo.zip");
        ZipFile.CreateFromDirectory(BundleFolder, ZipBundle);
        TarGzBundle = Path.Combine(Root, "demo.tar.gz");
        using (var file = File.Create(TarGzBundle))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            TarFile.CreateFromDirectory(BundleFolder, gzip, includeBaseDirectory: false);
        }
    }

    public string Root { get; }

    public string BundleFolder { get; }

    public string ZipBundle { get; }

    public string TarGzBundle { get; }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mizzen.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Mizzen.slnx not found above the test output folder");
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class ProcessCollection : ICollectionFixture<DemoServiceFixture>
{
    public const string Name = "real processes";
}
