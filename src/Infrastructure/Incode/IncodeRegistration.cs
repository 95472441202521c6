using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Json;
using IncodeSlices.Infrastructure.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace IncodeSlices.Infrastructure.Incode;

public static class IncodeRegistration
{
    /// <summary>
    /// Three typed Incode clients, one handler chain each, outermost first: the request's deadline,
    /// the answer checks, (admin client only) the admin token, the resilience pipeline, the headers
    /// every call carries.
    /// </summary>
    public static IServiceCollection AddIncode(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<IncodeOptions>(configuration);
        services.AddSingleton<IValidateOptions<IncodeOptions>, IncodeOptionsValidator>();
        services.AddSingleton<IAdminTokenProvider>(sp => sp.GetRequiredService<IOptions<IncodeOptions>>().Value.LogsInAsAdmin
            ? ActivatorUtilities.CreateInstance<ExecutiveLoginTokenProvider>(sp)
            : ActivatorUtilities.CreateInstance<ConfiguredAdminTokenProvider>(sp));
        services.AddTransient<IncodeDeadlineHandler>();
        services.AddTransient<IncodeResponseHandler>();
        services.AddTransient<AdminTokenHandler>();
        services.AddTransient<IncodeHeadersHandler>();
        services.AddSingleton<IncodeResilience>();
        services.AddHttpContextAccessor(); // the deadline is one per request

        // AddRefitClient needs Refit.Reflection, which is not served here; the generated client is.
        // One RefitSettings for the process, or each resolved client builds a serializer of its own;
        // Refit's own JSON settings, with the serializers generated at build time.
        var settings = new RefitSettings(new SystemTextJsonContentSerializer().WithContext(InfrastructureJson.Default));
        var clients = new[]
        {
            AddIncodeClient(services.AddRefitGeneratedClient<IIncodeApi>(settings), admin: false),
            AddIncodeClient(services.AddRefitGeneratedClient<IIncodeAdminApi>(settings), admin: true),
            AddIncodeClient(services.AddRefitGeneratedClient<IIncodeExecutiveApi>(settings), admin: false),
        };
        if (SandboxMode.IsOn(configuration)) SandboxMode.Use(services, clients);
        return services;
    }

    private static IHttpClientBuilder AddIncodeClient(IHttpClientBuilder client, bool admin)
    {
        client.ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<IncodeOptions>>().Value.BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan; // the deadline handler and the pipeline own every timeout
            })
            // The factory's own request logging opens a scope and checks levels on every call, to log
            // lines this server keeps quiet (full upstream URLs); the outcome is logged in our words.
            .RemoveAllLoggers()
            .AddHttpMessageHandler<IncodeDeadlineHandler>()
            .AddHttpMessageHandler<IncodeResponseHandler>();
        if (admin) client.AddHttpMessageHandler<AdminTokenHandler>();
        client.AddHttpMessageHandler(sp => new IncodeRetryHandler(sp.GetRequiredService<IncodeResilience>().Pipeline));
        client.AddHttpMessageHandler<IncodeHeadersHandler>();
        return client;
    }
}
