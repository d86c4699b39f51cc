namespace Mizzen.Triggers.Docker;

/// <summary>
/// What the docker poller knows of one repository of one account (document <c>docker-poll/{account}/{repository}</c>): each tag with
/// its digest, the digests of tags that disappeared (so a tag deleted and pushed again is new only when its digest changed), and the
/// outcome of the last poll (what the status shows).
/// </summary>
public sealed class DockerRepositoryState
{
    /// <summary>Tags kept for disappeared tags: enough for a delete and re-push, bounded for registries that prune old tags.</summary>
    public const int GoneLimit = 1000;

    public string Account { get; set; } = "";

    public string Repository { get; set; } = "";

    /// <summary>False until the first successful poll recorded what exists (that poll starts nothing).</summary>
    public bool Seeded { get; set; }

    /// <summary>Tag to digest (null when the registry gave none).</summary>
    public Dictionary<string, string?> Tags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Tags that disappeared, oldest first, with the digest they had.</summary>
    public List<GoneTag> Gone { get; set; } = [];

    /// <summary>When the last poll ended (epoch ms), whether or not it worked.</summary>
    public long? PolledAt { get; set; }

    /// <summary>When the last successful poll ended (epoch ms).</summary>
    public long? SucceededAt { get; set; }

    /// <summary>Why the last poll failed; null when it worked.</summary>
    public string? Error { get; set; }

    /// <summary>Tags seen as new by the last successful poll (each one sent as an event).</summary>
    public List<string> LastNewTags { get; set; } = [];

    public void Forget(string tag, string? digest)
    {
        Gone.RemoveAll(g => g.Tag == tag);
        Gone.Add(new GoneTag(tag, digest));
        if (Gone.Count > GoneLimit)
        {
            Gone.RemoveRange(0, Gone.Count - GoneLimit);
        }
    }
}

public sealed record GoneTag(string Tag, string? Digest);
