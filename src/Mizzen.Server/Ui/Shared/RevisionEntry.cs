namespace Mizzen.Server.Ui.Shared;

/// <summary>One saved revision of a config for <see cref="RevisionHistory"/>: who saved it, when (epoch ms), and its text as people compare it.</summary>
public sealed record RevisionEntry(int Revision, string User, long Timestamp, string Text);
