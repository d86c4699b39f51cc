namespace Mizzen.Testing;

/// <summary>Finds <c>shared/compat/</c> (real Spinnaker data) beside the checkout; tests load it as it is.</summary>
public static class CompatData
{
    public static string Root { get; } = Locate();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("MIZZEN_COMPAT_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "compat"), Path.Combine(dir.FullName, "..", "shared", "compat") })
            {
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DirectoryNotFoundException(
            "shared/compat/ was not found next to the checkout; set MIZZEN_COMPAT_DIR to the folder holding Spinnaker's compatibility data");
    }
}
