using Microsoft.Extensions.DependencyInjection;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// A server with caller authentication on, trusting its own <see cref="TestIssuer"/> (running), and
/// its own Incode stub answering fresh sessions. Shared by the tests of a class.
/// </summary>
public class CallerApp : IncodeApp
{
    public CallerApp() : this(new Dictionary<string, string?>())
    {
    }

    protected CallerApp(IDictionary<string, string?> settings) : this(TestIssuer.CreateAsync().GetAwaiter().GetResult(), settings)
    {
    }

    private CallerApp(TestIssuer issuer, IDictionary<string, string?> settings) : base(issuer.Settings(settings))
    {
        Issuer = issuer;
    }

    public TestIssuer Issuer { get; }

    /// <summary>Once the server has loaded the issuer's keys (in the background, after start-up): before, its protected routes answer 503.</summary>
    public async Task KeysLoadedAsync()
    {
        if (_keysLoaded) return;
        _ = Client; // starts the server
        var keys = Services.GetRequiredService<IncodeSlices.Infrastructure.Callers.CallerKeys>();
        await Eventually.HoldsAsync(() => keys.IsLoaded, "the issuer's keys are loaded");
        _keysLoaded = true;
    }

    private bool _keysLoaded;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Issuer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
