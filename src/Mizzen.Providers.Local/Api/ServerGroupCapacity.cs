namespace Mizzen.Providers.Local.Api;

/// <summary>Spinnaker's capacity triple; the local provider runs exactly <see cref="Desired"/> instances.</summary>
public sealed record ServerGroupCapacity(int Min, int Max, int Desired)
{
    public static ServerGroupCapacity Exactly(int count) => new(count, count, count);
}
