using System.Diagnostics.CodeAnalysis;
using IncodeSlices.Infrastructure.Settings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Serilog.AspNetCore;

namespace IncodeSlices.Host;

/// <summary>
/// The framework's options that start-up and the first request read, each served as
/// <see cref="IOptions{TOptions}"/> by a closed registration (<see cref="ClosedOptions{T}"/>), as our
/// own settings are, instead of the options library's open generic one.
/// </summary>
internal static class FrameworkOptions
{
    public static IServiceCollection AddFrameworkOptions(this IServiceCollection services)
    {
        Add<HostOptions>(services);
        Add<ConsoleLifetimeOptions>(services);
        Add<KestrelServerOptions>(services);
        Add<SocketTransportOptions>(services);
        Add<RouteOptions>(services);
        Add<RouteHandlerOptions>(services);
        Add<JsonOptions>(services);
        Add<FormOptions>(services);
        Add<AuthorizationOptions>(services);
        Add<CorsOptions>(services);
        Add<RateLimiterOptions>(services);
        Add<HealthCheckServiceOptions>(services);
        Add<HealthCheckPublisherOptions>(services);
        Add<RequestLoggingOptions>(services);
        return services;
    }

    private static void Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceCollection services)
        where T : class => services.AddSingleton<IOptions<T>>(sp => new ClosedOptions<T>(sp));
}
