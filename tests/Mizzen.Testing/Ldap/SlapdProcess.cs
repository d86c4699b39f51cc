using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mizzen.Testing.Ldap;

/// <summary>
/// A real OpenLDAP server (Debian's <c>slapd</c>) for a test: a <c>slapd.conf</c> in a temporary folder (an mdb database under
/// <see cref="Suffix"/> with the memberOf overlay), started as a child process on a free loopback port, loaded with
/// <c>ldapadd</c>, and killed and deleted on dispose.
/// </summary>
public sealed class SlapdProcess : IAsyncDisposable
{
    public const string Suffix = "dc=mizzen,dc=test";
    public const string AdminDn = "cn=admin," + Suffix;
    public const string AdminPassword = "slapd-admin-secret";
    public const string People = "ou=people," + Suffix;
    public const string Groups = "ou=groups," + Suffix;
    private const string Slapd = "/usr/sbin/slapd";
    private const string LdapAdd = "/usr/bin/ldapadd";

    private readonly Process process;
    private readonly string folder;

    private SlapdProcess(Process process, string folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"ldap://127.0.0.1:{Port}";

    /// <summary>Starts slapd and adds the base entries (<see cref="People"/>, <see cref="Groups"/>) and <paramref name="ldif"/>.</summary>
    public static async Task<SlapdProcess> StartAsync(string ldif)
    {
        if (!File.Exists(Slapd) || !File.Exists(LdapAdd))
        {
            throw new InvalidOperationException($"the LDAP tests need OpenLDAP's {Slapd} and {LdapAdd}: apt-get install slapd ldap-utils (eng/test.sh does)");
        }

        var folder = Directory.CreateTempSubdirectory("mizzen-slapd-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "db"));
        await File.WriteAllTextAsync(Path.Combine(folder, "slapd.conf"), $"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/nis.schema
            include /etc/ldap/schema/inetorgperson.schema
            pidfile {folder}/slapd.pid
            modulepath /usr/lib/ldap
            moduleload back_mdb
            moduleload memberof
            database mdb
            maxsize 10485760
            suffix "{Suffix}"
            rootdn "{AdminDn}"
            rootpw {AdminPassword}
            directory {folder}/db
            overlay memberof

            """);
        var port = FreePort();
        var info = new ProcessStartInfo(Slapd) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        // -d keeps slapd in the foreground, so it is this process's child and dies with Kill.
        foreach (var arg in new[] { "-f", Path.Combine(folder, "slapd.conf"), "-h", $"ldap://127.0.0.1:{port}/", "-d", "0" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("slapd did not start");
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var slapd = new SlapdProcess(process, folder, port);
        try
        {
            await slapd.WaitUntilListeningAsync(output);
            await slapd.AddAsync($"""
                dn: {Suffix}
                objectClass: dcObject
                objectClass: organization
                o: mizzen
                dc: mizzen

                dn: {People}
                objectClass: organizationalUnit
                ou: people

                dn: {Groups}
                objectClass: organizationalUnit
                ou: groups

                {ldif}
                """);
            return slapd;
        }
        catch
        {
            await slapd.DisposeAsync();
            throw;
        }
    }

    /// <summary>An <c>inetOrgPerson</c> under <see cref="People"/>.</summary>
    public static string Person(string uid, string password) => $"""
        dn: uid={uid},{People}
        objectClass: inetOrgPerson
        uid: {uid}
        cn: {uid}
        sn: {uid}
        userPassword: {password}


        """;

    /// <summary>A <c>groupOfNames</c> under <see cref="Groups"/> whose members are the people <paramref name="uids"/>.</summary>
    public static string Group(string cn, params string[] uids) => $"dn: cn={cn},{Groups}\nobjectClass: groupOfNames\ncn: {cn}\n"
        + string.Concat(uids.Select(u => $"member: uid={u},{People}\n")) + "\n";

    /// <summary>A <c>posixGroup</c> (members by <c>memberUid</c>) under <see cref="Groups"/>.</summary>
    public static string PosixGroup(string cn, int gid, params string[] uids) =>
        $"dn: cn={cn},{Groups}\nobjectClass: posixGroup\ncn: {cn}\ngidNumber: {gid}\n" + string.Concat(uids.Select(u => $"memberUid: {u}\n")) + "\n";

    /// <summary>Adds entries as the directory's admin, with OpenLDAP's own client.</summary>
    public async Task AddAsync(string ldif)
    {
        var info = new ProcessStartInfo(LdapAdd) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-x", "-H", Url, "-D", AdminDn, "-w", AdminPassword })
        {
            info.ArgumentList.Add(arg);
        }

        using var add = Process.Start(info) ?? throw new InvalidOperationException("ldapadd did not start");
        var stdout = add.StandardOutput.ReadToEndAsync();
        var stderr = add.StandardError.ReadToEndAsync();
        await add.StandardInput.WriteAsync(ldif.Replace("\r\n", "\n", StringComparison.Ordinal));
        add.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await add.WaitForExitAsync(timeout.Token);
        if (add.ExitCode != 0)
        {
            throw new InvalidOperationException($"ldapadd failed ({add.ExitCode}): {await stderr}\n{await stdout}");
        }
    }

    private async Task WaitUntilListeningAsync(StringBuilder output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"slapd exited with {process.ExitCode}: {output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, timeout.Token); // waits on a condition: slapd listening
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // slapd's files are released when it is gone; the temp folder is cleaned by the OS otherwise.
        }
    }
}
