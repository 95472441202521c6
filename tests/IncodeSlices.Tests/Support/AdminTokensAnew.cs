using IncodeSlices.Infrastructure.Incode;
using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The server's own admin-token provider, chosen and made by its own registration, but made again on
/// <see cref="Renew"/>: a server shared by tests whose subject is the provider's state.
/// </summary>
public sealed class AdminTokensAnew : IAdminTokenProvider
{
    private readonly Func<IAdminTokenProvider> _make;
    private volatile IAdminTokenProvider _current;

    private AdminTokensAnew(Func<IAdminTokenProvider> make) => (_make, _current) = (make, make());

    /// <summary>Puts itself in front of the provider <c>AddIncode</c> registered.</summary>
    public static void Register(IServiceCollection services)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IAdminTokenProvider));
        services.Remove(registered);
        services.AddSingleton(provider => new AdminTokensAnew(() => (IAdminTokenProvider)registered.ImplementationFactory!(provider)));
        services.AddSingleton<IAdminTokenProvider>(provider => provider.GetRequiredService<AdminTokensAnew>());
    }

    /// <summary>A provider as the server starts with: no token held, no failure counted.</summary>
    public void Renew() => _current = _make();

    public ValueTask<string> GetTokenAsync(CancellationToken ct) => _current.GetTokenAsync(ct);

    public ValueTask<string?> ReplaceRejectedAsync(string rejected, CancellationToken ct) => _current.ReplaceRejectedAsync(rejected, ct);
}
