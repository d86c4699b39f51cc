using System.Globalization;
using System.Text;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Local.State;

namespace Mizzen.Providers.Local.Jobs;

/// <summary>
/// The files of one job, in its folder (<c>&lt;working folder&gt;/jobs/&lt;job id&gt;</c>): <c>job.json</c> (<see cref="JobRecord"/>),
/// <c>bundle/</c> (the unpacked bundle, the job's working folder; removed once the job is seen finished), <c>output.log</c>
/// (stdout and stderr), <c>pid</c> (written by the wrapper itself) and <c>exit-code</c> (written atomically when the job ends).
/// Everything a job's state needs is here, so a restarted Mizzen reads it as the previous one left it.
/// </summary>
internal sealed class JobFiles(string folder)
{
    public const string BundleName = "bundle";
    public const string OutputName = "output.log";
    public const string PidName = "pid";
    public const string ExitCodeName = "exit-code";
    private const string RecordName = "job.json";

    public string Folder { get; } = folder;

    public string Bundle => Path.Combine(Folder, BundleName);

    public string Output => Path.Combine(Folder, OutputName);

    private string Record => Path.Combine(Folder, RecordName);

    private string ExitCode => Path.Combine(Folder, ExitCodeName);

    public bool Exists => File.Exists(Record);

    /// <summary>Creates <c>job.json</c> unless it exists (exclusive create): true when this caller owns the job's start.</summary>
    public bool TryClaim(JobRecord record)
    {
        Directory.CreateDirectory(Folder);
        try
        {
            using var stream = new FileStream(Record, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(Encoding.UTF8.GetBytes(StateJson.Serialize(record)));
            return true;
        }
        catch (IOException) when (File.Exists(Record))
        {
            return false;
        }
    }

    public void Unclaim() => File.Delete(Record);

    public JobRecord? ReadRecord()
    {
        try
        {
            return StateJson.Deserialize<JobRecord>(File.ReadAllText(Record));
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void WriteRecord(JobRecord record) => WriteAtomically(Record, StateJson.Serialize(record), overwrite: true);

    /// <summary>The pid the wrapper shell wrote as its first act (covers a Mizzen that died before recording the pid).</summary>
    public int? WrapperPid() =>
        TryRead(Path.Combine(Folder, PidName)) is { } text && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    public JobEnd? ReadEnd() => TryRead(ExitCode) is { } text ? JobEnd.Parse(text) : null;

    /// <summary>When the job ended (the exit-code file's time), or null while it runs.</summary>
    public DateTimeOffset? EndedAt => File.Exists(ExitCode) ? File.GetLastWriteTimeUtc(ExitCode) : null;

    /// <summary>Records how the job ended unless an end is already recorded (the wrapper's real exit code wins a race).</summary>
    public void TryRecordEnd(string word)
    {
        try
        {
            WriteAtomically(ExitCode, word + "\n", overwrite: false);
        }
        catch (IOException) when (File.Exists(ExitCode))
        {
        }
    }

    /// <summary>Adds a line of Mizzen's own to the output, so the stage's logs say why the job ended.</summary>
    public void AppendNote(string note) => File.AppendAllText(Output, $"[mizzen] {note}\n");

    /// <summary>The last <paramref name="maxChars"/> (at most) of the output.</summary>
    public string ReadTail(int maxChars)
    {
        if (!File.Exists(Output))
        {
            return "";
        }

        using var stream = new FileStream(Output, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var from = Math.Max(0, stream.Length - maxChars);
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        // A cut through a multi-byte character decodes as replacement characters: drop them.
        return from > 0 ? text.TrimStart('\uFFFD') : text;
    }

    /// <summary>The properties printed anywhere in the output, read line by line.</summary>
    public IReadOnlyDictionary<string, object?> ReadProperties() =>
        File.Exists(Output) ? JobOutputParser.Parse(ReadLines(Output)) : new Dictionary<string, object?>();

    public void DeleteBundle()
    {
        if (Directory.Exists(Bundle))
        {
            Directory.Delete(Bundle, recursive: true);
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void WriteAtomically(string path, string text, bool overwrite)
    {
        var temp = $"{path}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        File.WriteAllText(temp, text);
        try
        {
            File.Move(temp, path, overwrite);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
