using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IncodeSlices.Infrastructure.Callers;

/// <summary>
/// The issuer's discovery document and signing keys, for the JWT bearer handler. Until they have been
/// loaded once, the routes that need a caller answer 503 (they cannot tell a good token from a
/// forged one) and readiness fails; they are never fetched on a request's time. Once loaded, IdentityModel's
/// <see cref="ConfigurationManager{T}"/> keeps them fresh: every 12 hours, and soon after a token names a key it does not know
/// (a rotation), at most every 5 minutes.
/// </summary>
public sealed class CallerKeys(IOptions<CallerOptions> options, IHttpClientFactory http, ILogger<CallerKeys> logger)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    internal const string HttpClientName = "caller-jwt-keys";

    private volatile ConfigurationManager<OpenIdConnectConfiguration>? _loaded;
    private int _failures;

    public bool IsLoaded => _loaded is not null;

    public string MetadataAddress { get; } = options.Value.Authority!.Trim().TrimEnd('/') + "/.well-known/openid-configuration";

    /// <summary>
    /// One attempt at the first load. A manager of its own each time: one that failed would wait its
    /// refresh interval before asking again, and the routes cannot serve meanwhile.
    /// </summary>
    public async Task<bool> TryLoadAsync(CancellationToken ct)
    {
        if (_loaded is not null) return true;
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(MetadataAddress, new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http.CreateClient(HttpClientName)) { RequireHttps = options.Value.RequireHttps });
        try
        {
            var configuration = await manager.GetConfigurationAsync(ct);
            if (configuration.SigningKeys.Count == 0)
            {
                logger.LogWarning("Caller authentication: the issuer publishes no signing key yet; trying again");
                return false;
            }
            _loaded = manager;
            logger.LogInformation("Caller authentication: {Count} signing keys of the issuer loaded", configuration.SigningKeys.Count);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The message names the address; the reason is in the inner exception's type. Tried every
            // 2 s: the first failure is a warning, then one a minute, the rest at debug.
            var failures = ++_failures;
            logger.Log(failures == 1 || failures % 30 == 0 ? LogLevel.Warning : LogLevel.Debug,
                "Caller authentication: the issuer's keys could not be loaded ({Reason}, attempt {Attempt}); protected routes answer 503 meanwhile",
                ExceptionChain.Of(ex).Last().GetType().Name, failures);
            return false;
        }
    }

    public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) =>
        _loaded?.GetConfigurationAsync(cancel) ?? throw new InvalidOperationException("The issuer's keys are not loaded yet");

    public void RequestRefresh() => _loaded?.RequestRefresh();
}
