using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Bundles;

/// <summary>A bundle that cannot be fetched, unpacked or started; the message says which and why.</summary>
public sealed class BundleException(string message, bool isTransient = false, Exception? inner = null) : MizzenException(message, inner)
{
    public override bool IsTransient { get; } = isTransient;
}
