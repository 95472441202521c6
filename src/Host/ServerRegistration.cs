using IncodeSlices.Features;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Health;
using IncodeSlices.Infrastructure.Http;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.SessionBudget;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Settings;
using IncodeSlices.Infrastructure.Storage;

namespace IncodeSlices.Host;

/// <summary>
/// Every setting the server reads, each through its options class and checked at start-up, with the
/// services that read them. One list, so that a test checks a configuration against the same
/// registrations the server starts with, without starting one.
/// </summary>
internal static class ServerRegistration
{
    public static IServiceCollection AddServer(this IServiceCollection services, IConfiguration configuration)
    {
        ServerOptions.Validate(services.AddSettings<ServerOptions>(configuration)); // a bad value is refused with the rest
        services.AddSingleton(TimeProvider.System);
        services.AddIncode(configuration);
        services.AddRecordStore(configuration);
        services.AddSessionStore();
        services.AddTrustedProxies(configuration);
        services.AddCallerCors(configuration);
        services.AddSessionBudget(configuration);
        services.AddCallerAuthentication(configuration); // CALLER_JWT_AUTHORITY: docs/ownership.md
        services.AddFeatures(configuration);
        services.AddHealth();
        services.AddHostedService<StartupReport>();
        return services;
    }
}
