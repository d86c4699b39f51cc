namespace Mizzen.Server.Demo;

/// <summary>
/// The Mizzen checkout the server runs from: the first folder, walking up from the program's folder or the data folder, that holds
/// <c>samples/demo-service</c>.
/// </summary>
internal static class RepositoryRoot
{
    public const string DemoServiceFolder = "samples/demo-service";

    public static string? Find(params string[] startingPoints)
    {
        foreach (var start in startingPoints)
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, DemoServiceFolder, "make-bundles.sh")))
                {
                    return folder.FullName;
                }
            }
        }

        return null;
    }
}
