using IncodeSlices.Infrastructure.Incode.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace IncodeSlices.Infrastructure.Incode;

public static class IncodeRegistration
{
    public static IServiceCollection AddIncode(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IncodeOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IncodeOptions>, IncodeOptionsValidator>();
        services.AddSingleton<IAdminTokenProvider>(sp => sp.GetRequiredService<IOptions<IncodeOptions>>().Value.LogsInAsAdmin
            ? ActivatorUtilities.CreateInstance<ExecutiveLoginTokenProvider>(sp)
            : ActivatorUtilities.CreateInstance<ConfiguredAdminTokenProvider>(sp));
        services.AddTransient<IncodeHeadersHandler>();
        services.AddTransient<IncodeFailureHandler>();
        services.AddTransient<AdminTokenRenewalHandler>();
        services.AddHttpContextAccessor(); // the failure handler keeps one timeout budget per request

        // AddRefitClient needs Refit.Reflection, which is not served here; the generated client is.
        // One RefitSettings for the process: without it each resolved client gets new settings, so a new
        // JSON serializer whose metadata is rebuilt (reflection, emitted code) on every Incode call.
        var settings = new RefitSettings();
        var incode = services.AddRefitGeneratedClient<IIncodeApi>(settings);
        AddIncodeClient(incode, renewAdminToken: true);
        AddIncodeClient(services.AddRefitGeneratedClient<IIncodeExecutiveApi>(settings), renewAdminToken: false);
        if (SandboxMode.IsOn(configuration)) incode.UseSandbox(); // which also drops ADMIN_EMAIL: no login to make up
        return services;
    }

    private static void AddIncodeClient(IHttpClientBuilder client, bool renewAdminToken)
    {
        client.ConfigureHttpClient((sp, http) =>
            {
                var incode = sp.GetRequiredService<IOptions<IncodeOptions>>().Value;
                http.BaseAddress = new Uri(incode.ApiUrl.TrimEnd('/'));
                http.Timeout = Timeout.InfiniteTimeSpan; // the failure handler and the resilience pipeline own every timeout
            })
            .AddHttpMessageHandler<IncodeFailureHandler>(); // outermost: sees the outcome after retries, owns the total timeout
        if (renewAdminToken) client.AddHttpMessageHandler<AdminTokenRenewalHandler>(); // sees the raw 401
        client.AddResilienceHandler("incode", (pipeline, context) =>
            {
                var incode = context.ServiceProvider.GetRequiredService<IOptions<IncodeOptions>>().Value;
                ConfigureResilience(pipeline, incode);
            });
        client.AddHttpMessageHandler<IncodeHeadersHandler>(); // innermost: every attempt carries them
    }

    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IncodeOptions incode)
    {
        var attempt = TimeSpan.FromSeconds(incode.AttemptTimeoutSeconds);

        // No total timeout here: IncodeFailureHandler owns it, so that it covers the body and every call of a request.
        if (incode.ReadRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = incode.ReadRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            };
            // A retried POST /omni/start is a second billable session; a retried approve, a second
            // identity; a retried executive login, one more strike towards locking the account.
            retry.DisableForUnsafeHttpMethods();
            pipeline.AddRetry(retry);
        }
        pipeline.AddTimeout(attempt);
    }
}
