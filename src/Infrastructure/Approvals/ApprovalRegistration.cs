using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Infrastructure.Approvals;

public static class ApprovalRegistration
{
    public static IServiceCollection AddApprovalLedger(this IServiceCollection services)
    {
        services.AddSingleton<ApprovalLedger>();
        services.AddSingleton(sp => sp.GetRequiredService<ApprovalLedger>().Claims); // swept when expired
        return services;
    }
}
