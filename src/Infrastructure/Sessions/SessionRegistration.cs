using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Sessions;

public static class SessionRegistration
{
    public static IServiceCollection AddSessionStore(this IServiceCollection services)
    {
        services.AddSingleton<ISessionStore, SessionStore>();
        services.AddSingleton<FinishedSessions>();
        // Swept when expired: the sessions, and who owns each.
        services.AddSingleton(sp => SessionStore.Kind(sp.GetRequiredService<IOptions<StoreOptions>>().Value));
        services.AddSingleton(sp => SessionStore.ByInterview(sp.GetRequiredService<IOptions<StoreOptions>>().Value, sp.GetRequiredService<IOptions<CallerOptions>>().Value));
        services.AddSingleton(sp => SessionStore.ByToken(sp.GetRequiredService<IOptions<StoreOptions>>().Value, sp.GetRequiredService<IOptions<CallerOptions>>().Value));
        return services;
    }
}
