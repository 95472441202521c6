using System.Diagnostics.CodeAnalysis;
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
/// <see cref="IOptions{TOptions}"/> by a closed registration that does what the options library's
/// own does (one value, made by <see cref="OptionsFactory{TOptions}"/> on first read). Left to the
/// library's open generic registration, a native executable builds the manager and factory of each
/// at run time, type by type, before the first answer.
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
        where T : class =>
        services.AddSingleton<IOptions<T>>(sp => new Unnamed<T>(new OptionsFactory<T>(sp.GetServices<IConfigureOptions<T>>(),
            sp.GetServices<IPostConfigureOptions<T>>(), sp.GetServices<IValidateOptions<T>>())));

    private sealed class Unnamed<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(OptionsFactory<T> factory)
        : IOptions<T> where T : class
    {
        private readonly Lock _lock = new();
        private T? _value;

        public T Value
        {
            get
            {
                if (_value is { } value) return value;
                lock (_lock) return _value ??= factory.Create(Options.DefaultName);
            }
        }
    }
}
