using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mizzen.Testing.Stores;

/// <summary>
/// The registered stores on a fresh <see cref="TestStore"/>, without an engine: for tests of the stores themselves, which
/// resolve the interfaces (<c>IStore</c>, <c>IMessageQueue</c>, …) the way the server does instead of constructing one
/// backend's classes.
/// </summary>
public sealed class StoreServices : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private StoreServices(TestStore store, ServiceProvider provider)
    {
        Store = store;
        this.provider = provider;
    }

    public TestStore Store { get; }

    public IServiceProvider Services => provider;

    /// <summary>A fresh store on <paramref name="backend"/> with <paramref name="clock"/> as every component's time; <paramref name="configure"/> adds more.</summary>
    public static async Task<StoreServices> CreateAsync(StoreBackend backend, TimeProvider clock, Action<IServiceCollection>? configure = null)
    {
        var store = await TestStore.CreateAsync(backend, "mizzen-store");
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        store.AddTo(services);
        configure?.Invoke(services);
        return new StoreServices(store, services.BuildServiceProvider());
    }

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        Store.Delete();
    }
}
