using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Sessions;

public static class SessionRegistration
{
    public static IServiceCollection AddSessionStore(this IServiceCollection services)
    {
        services.AddSingleton<ISessionStore, SessionStore>();
        services.AddSingleton(sp => SessionStore.Kind(sp.GetRequiredService<IOptions<StoreOptions>>().Value)); // swept when expired
        return services;
    }
}
