using IncodeSlices.Infrastructure.Settings;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Infrastructure.Incode.Sandbox;

/// <summary>
/// Sandbox mode: the Incode clients answered in-process by <see cref="SandboxIncode"/>, for trying the
/// server without an Incode account or a network. Off unless <c>--sandbox</c> or
/// <c>INCODE_SANDBOX=true</c> asks for it, and refused in the Production environment.
/// </summary>
public static class SandboxMode
{
    public const string Flag = "--sandbox";
    public const string Setting = "INCODE_SANDBOX";
    public const string ApiUrl = "https://sandbox.invalid"; // .invalid never resolves: nothing can leave by mistake

    /// <summary>
    /// Turns the <c>--sandbox</c> switch into a setting the host's command-line parser reads; left as
    /// it is, the parser would take the next argument as its value.
    /// </summary>
    public static string[] ExpandFlag(string[] args) =>
        args.Select(arg => arg == Flag ? $"--{Setting}=true" : arg).ToArray();

    public static bool IsOn(IConfiguration configuration) => SettingsRegistration.ReadNow<IncodeOptions>(configuration).Sandbox;

    /// <summary>Answers the Incode clients in-process; Incode's own settings are replaced, so none is needed.</summary>
    internal static void Use(IServiceCollection services, IEnumerable<IHttpClientBuilder> clients)
    {
        services.AddSingleton<SandboxIncode>();
        services.AddSingleton<IValidateOptions<IncodeOptions>, SandboxEnvironmentValidator>();
        services.PostConfigure<IncodeOptions>(options =>
        {
            options.Sandbox = true;
            options.ApiUrl = ApiUrl;
            options.ApiKey = "sandbox-api-key";
            options.FlowId = "sandbox-flow";
            options.AdminToken = SandboxIncode.AdminToken;
            options.AdminEmail = null; // no login to make up
            options.AdminPassword = null;
        });
        // Made-up sessions live apart from real ones: a real server on the same folder or Redis never sees them.
        services.PostConfigure<StoreOptions>(store =>
        {
            store.SessionsDir = Path.Combine(store.SessionsDir, "sandbox");
            store.RedisKeyPrefix += "sandbox:";
        });
        foreach (var client in clients)
            client.ConfigurePrimaryHttpMessageHandler(sp => new SandboxIncodeHandler(sp.GetRequiredService<SandboxIncode>()));
    }

    /// <summary>Made-up identities must never reach a production deployment, however the switch got there.</summary>
    private sealed class SandboxEnvironmentValidator(IHostEnvironment environment) : IValidateOptions<IncodeOptions>
    {
        public ValidateOptionsResult Validate(string? name, IncodeOptions options) =>
            options.Sandbox && environment.IsProduction()
                ? ValidateOptionsResult.Fail(
                    "Sandbox mode (--sandbox or INCODE_SANDBOX=true) makes up Incode's answers and is refused in the Production environment; " +
                    "set ASPNETCORE_ENVIRONMENT=Development to try it.")
                : ValidateOptionsResult.Success;
    }
}
