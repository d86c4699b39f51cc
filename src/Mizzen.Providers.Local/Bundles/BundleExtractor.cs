using System.Formats.Tar;
using System.IO.Compression;

namespace Mizzen.Providers.Local.Bundles;

/// <summary>
/// Unpacks a bundle (folder, <c>.zip</c>, <c>.tar.gz</c>) into a fresh folder. An entry whose path leaves the target
/// (<c>../</c>, an absolute path, a link pointing outside) refuses the whole bundle.
/// </summary>
internal static class BundleExtractor
{
    public static async Task ExtractAsync(string source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        var root = Path.GetFullPath(target);
        if (Directory.Exists(source))
        {
            CopyFolder(source, root, cancellationToken);
        }
        else if (source.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            await ExtractTarGzAsync(source, root, cancellationToken);
        }
        else if (source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || IsZip(source))
        {
            ExtractZip(source, root, cancellationToken);
        }
        else
        {
            throw new BundleException($"Bundle '{Path.GetFileName(source)}' is neither a folder, a .zip nor a .tar.gz");
        }
    }

    private static void CopyFolder(string source, string root, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var destination = SafePath(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, File.GetUnixFileMode(file));
            }
        }
    }

    private static void ExtractZip(string source, string root, CancellationToken cancellationToken)
    {
        using var archive = ZipFile.OpenRead(source);
        foreach (var entry in archive.Entries)
        {
            SafePath(root, entry.FullName);
        }

        foreach (var entry in archive.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var destination = SafePath(root, entry.FullName);
            if (entry.FullName.EndsWith('/'))
            {
                Directory.CreateDirectory(destination);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            entry.ExtractToFile(destination, overwrite: true);
            var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
            if (!OperatingSystem.IsWindows() && mode != UnixFileMode.None)
            {
                File.SetUnixFileMode(destination, mode);
            }
        }
    }

    private static async Task ExtractTarGzAsync(string source, string root, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(source);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var destination = SafePath(root, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(destination);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    await entry.ExtractToFileAsync(destination, overwrite: true, cancellationToken);
                    break;
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    var linkTarget = Path.IsPathRooted(entry.LinkName) ? entry.LinkName : Path.Combine(Path.GetDirectoryName(entry.Name) ?? "", entry.LinkName);
                    SafePath(root, Path.IsPathRooted(linkTarget) ? "/" + linkTarget : linkTarget);
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    await entry.ExtractToFileAsync(destination, overwrite: true, cancellationToken);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>; throws when it would land outside.</summary>
    public static string SafePath(string root, string relative)
    {
        var normalized = relative.Replace('\\', '/');
        if (normalized.StartsWith('/') || Path.IsPathRooted(normalized))
        {
            throw new BundleException($"Bundle entry '{relative}' has an absolute path; the bundle is refused");
        }

        var full = Path.GetFullPath(Path.Combine(root, normalized));
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal) && full != root)
        {
            throw new BundleException($"Bundle entry '{relative}' points outside the bundle folder; the bundle is refused");
        }

        return full;
    }

    private static bool IsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic[0] == 'P' && magic[1] == 'K';
    }
}
