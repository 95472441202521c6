using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Infrastructure.Storage;

public static class StoreRegistration
{
    public static IServiceCollection AddRecordStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().Bind(configuration);
        services.AddSingleton<FileRecordStore>();
        services.AddSingleton<IRecordStore>(sp => sp.GetRequiredService<FileRecordStore>());
        services.AddHostedService<StoreSweep>();
        return services;
    }
}
