using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Json;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Health;

/// <summary>
/// <c>GET /health</c> (the process answers) and <c>GET /health/ready</c> (it can serve: configuration
/// valid, the record store writable), for load balancers and container probes. Not Incode routes, so
/// not in the OpenAPI document. The answers name checks, never a value: no URL, key, path or token.
/// </summary>
public static class HealthRegistration
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ConfigurationCheck>("configuration")
            .AddCheck<StoreCheck>("store");
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", (IOptions<IncodeOptions> incode) =>
            Results.Json(new Alive("alive", incode.Value.Sandbox), InfrastructureJson.Default.Alive));

        endpoints.MapGet("/health/ready", async (HealthCheckService health, IOptions<IncodeOptions> incode, CancellationToken ct) =>
        {
            var report = await health.CheckHealthAsync(ct);
            var ready = report.Status == HealthStatus.Healthy;
            var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Healthy ? "ok" : "failed");
            return Results.Json(new Ready(ready ? "ready" : "not ready", incode.Value.Sandbox, checks), InfrastructureJson.Default.Ready,
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    internal sealed record Alive(string Status, bool Sandbox);

    internal sealed record Ready(string Status, bool Sandbox, IReadOnlyDictionary<string, string> Checks);

    /// <summary>The options validators (missing variables, sandbox in Production) say no by throwing.</summary>
    private sealed class ConfigurationCheck(IOptionsMonitor<IncodeOptions> incode) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                _ = incode.CurrentValue;
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (OptionsValidationException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy());
            }
        }
    }

    /// <summary>
    /// The record store (sessions, approvals, face-auth records) took its last probe and no write has
    /// failed since: read from what the background probe found, so a probe never waits on the disk or Redis.
    /// </summary>
    private sealed class StoreCheck(StoreReadiness readiness, IRecordStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(readiness.IsWritable && store.IsAvailable ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
    }
}
