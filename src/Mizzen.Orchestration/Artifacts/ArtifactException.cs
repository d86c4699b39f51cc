using Mizzen.Core.Errors;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// An artifact could not be fetched or bound. The message names the artifact (type and reference, never a credential) and what went
/// wrong; <see cref="Kind"/> tells the edge whose fault it is (an unknown account or a refused URL is the caller's, an answer from
/// the artifact's server is upstream), <see cref="IsTransient"/> whether trying again can help.
/// </summary>
public sealed class ArtifactException(string message, ErrorKind kind = ErrorKind.Invalid, bool transient = false, Exception? inner = null)
    : MizzenException(message, inner)
{
    public override ErrorKind Kind { get; } = kind;

    public override bool IsTransient { get; } = transient;
}
