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
        services.AddSingleton<IAdminTokenProvider, ConfiguredAdminTokenProvider>();
        services.AddTransient<IncodeHeadersHandler>();
        services.AddTransient<IncodeFailureHandler>();

        // AddRefitClient needs Refit.Reflection, which is not served here; the generated client is.
        // One RefitSettings for the process: without it each resolved client gets new settings, so a new
        // JSON serializer whose metadata is rebuilt (reflection, emitted code) on every Incode call.
        var client = services.AddRefitGeneratedClient<IIncodeApi>(new RefitSettings())
            .ConfigureHttpClient((sp, http) =>
            {
                var incode = sp.GetRequiredService<IOptions<IncodeOptions>>().Value;
                http.BaseAddress = new Uri(incode.ApiUrl.TrimEnd('/'));
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns every timeout
            })
            .AddHttpMessageHandler<IncodeFailureHandler>(); // outermost: sees the outcome after retries
        client.AddResilienceHandler("incode", (pipeline, context) =>
            {
                var incode = context.ServiceProvider.GetRequiredService<IOptions<IncodeOptions>>().Value;
                ConfigureResilience(pipeline, incode);
            });
        client.AddHttpMessageHandler<IncodeHeadersHandler>(); // innermost: every attempt carries them
        return services;
    }

    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IncodeOptions incode)
    {
        var attempt = TimeSpan.FromSeconds(incode.AttemptTimeoutSeconds);
        var total = TimeSpan.FromSeconds(incode.TimeoutSeconds);

        pipeline.AddTimeout(total);
        if (incode.ReadRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = incode.ReadRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            };
            // A retried POST /omni/start is a second billable session; a retried approve, a second identity.
            retry.DisableForUnsafeHttpMethods();
            pipeline.AddRetry(retry);
        }
        pipeline.AddTimeout(attempt);
    }
}
