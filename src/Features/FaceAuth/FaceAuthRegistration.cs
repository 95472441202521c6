using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Settings;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Features.FaceAuth;

/// <summary>What /face-auth/start and /face-auth/verify share: the stored sessions and the verify-once ledger.</summary>
public static class FaceAuthRegistration
{
    public static IServiceCollection AddFaceAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<FaceAuthOptions>(configuration).Validate(o => o.HasValidTtl, FaceAuthOptions.TtlRule);
        services.AddSingleton<FaceAuthSessions>();
        services.AddSingleton<IFaceAuthHints>(sp => sp.GetRequiredService<FaceAuthSessions>()); // read by the sandbox only
        services.AddSingleton<FaceAuthLedger>();
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<FaceAuthSessions>().Kind); // swept when expired
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<FaceAuthLedger>().Claims);
        services.AddSingleton<RecordKind>(sp => sp.GetRequiredService<FaceAuthLedger>().Outcomes);
        return services;
    }
}
