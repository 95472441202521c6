using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Infrastructure.Sessions;

public static class SessionRegistration
{
    public static IServiceCollection AddSessionStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionStoreOptions>().Bind(configuration);
        services.AddSingleton<FileSessionStore>();
        services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<FileSessionStore>());
        services.AddHostedService<SessionFolderSweep>();
        return services;
    }
}
