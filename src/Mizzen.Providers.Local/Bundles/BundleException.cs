using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Bundles;

/// <summary>
/// A bundle that cannot be fetched, unpacked or started; the message says which and why. A bundle that is wrong is the
/// caller's to fix; a download that failed on the way (transient) is the bundle server's.
/// </summary>
public sealed class BundleException(string message, bool isTransient = false, Exception? inner = null) : MizzenException(message, inner)
{
    public override bool IsTransient { get; } = isTransient;

    public override ErrorKind Kind => IsTransient ? ErrorKind.Upstream : ErrorKind.Invalid;
}
