namespace Mizzen.Triggers.Jenkins;

/// <summary><c>Mizzen:Triggers:Jenkins</c>: the Jenkins masters jenkins triggers watch (igor's build masters).</summary>
public sealed class JenkinsTriggerOptions
{
    public const string SectionName = "Mizzen:Triggers:Jenkins";

    public List<JenkinsMaster> Masters { get; set; } = [];

    /// <summary>How often a master without its own <see cref="JenkinsMaster.PollInterval"/> is polled. Default 60 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    public JenkinsMaster? Master(string? name) =>
        Masters.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One Jenkins master: a jenkins trigger's <c>master</c> names it.</summary>
public sealed class JenkinsMaster
{
    public string Name { get; set; } = "";

    /// <summary>Jenkins's root URL (<c>https://ci.example.com/jenkins</c>).</summary>
    public string Address { get; set; } = "";

    public string? Username { get; set; }

    /// <summary>The user's API token (Jenkins's recommended credential for the JSON API).</summary>
    public string? ApiToken { get; set; }

    /// <summary>The user's password, when no <see cref="ApiToken"/> is given.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the API token or password (read at each poll).</summary>
    public string? ApiTokenFile { get; set; }

    public TimeSpan? PollInterval { get; set; }
}
