using IncodeSlices.Infrastructure.Settings;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IncodeSlices.Infrastructure.Callers;

public static class CallerRegistration
{
    /// <summary>Asymmetric signatures only: never <c>none</c>, never an HMAC (whose key a forger could take from the published public key).</summary>
    internal static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<CallerOptions>(configuration);
        services.AddSingleton<IValidateOptions<CallerOptions>, CallerOptionsValidator>();
        services.AddSingleton<ExternalCustomerIds>();
        services.AddSingleton<SessionAccess>();

        var options = SettingsRegistration.ReadNow<CallerOptions>(configuration);
        if (!options.IsOn) return services; // nothing registered: the routes run as CONTRACT.md says

        // The JWT bearer scheme runs only where CallerAuthentication calls it: as the only scheme it would
        // otherwise become the default, and ASP.NET Core's authentication middleware would run it for every request.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddHttpClient(CallerKeys.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<CallerKeys>();
        services.AddHostedService<CallerKeysLoader>();
        services.AddSingleton<SessionBudget.UserSessionBudget>();
        services.AddAuthentication().AddJwtBearer(CallerAuthentication.Scheme, jwt =>
        {
            jwt.MapInboundClaims = false; // "sub" stays "sub"
            jwt.SaveToken = false;
            jwt.Audience = options.Audience?.Trim();
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true, // against the discovery document's issuer
                ValidateAudience = true,
                ValidAudience = options.Audience?.Trim(),
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromMinutes(1),
                ValidAlgorithms = Algorithms,
                NameClaimType = options.UserClaim,
            };
        });
        services.AddOptions<JwtBearerOptions>(CallerAuthentication.Scheme).Configure<CallerKeys>((jwt, keys) => jwt.ConfigurationManager = keys);
        services.AddHealthChecks().AddCheck<CallerKeysCheck>("callerAuth");
        return services;
    }

    /// <summary>Ready once the issuer's keys are loaded: before that, no protected route can serve.</summary>
    private sealed class CallerKeysCheck(CallerKeys keys) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(keys.IsLoaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
    }
}
