using Mizzen.Core.Errors;

namespace Mizzen.Persistence.Migration;

/// <summary>
/// A migration that cannot start or did not finish: a wrong location, a source in use, a target that is not empty, counts that
/// differ. Whatever it says, the target holds nothing of the source (the copy is one transaction).
/// </summary>
public sealed class StoreMigrationException(string message, ErrorKind kind = ErrorKind.Invalid, Exception? inner = null) : MizzenException(message, inner)
{
    public override ErrorKind Kind { get; } = kind;
}
