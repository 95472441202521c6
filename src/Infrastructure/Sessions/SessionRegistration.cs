using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Infrastructure.Sessions;

public static class SessionRegistration
{
    public static IServiceCollection AddSessionStore(this IServiceCollection services)
    {
        services.AddSingleton<ISessionStore, SessionStore>();
        services.AddSingleton(SessionStore.Kind);
        return services;
    }
}
