using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// A second origin (<c>http://localhost:&lt;port&gt;</c>, against the server's <c>127.0.0.1</c>) serving
/// one HTML page, as a frontend sample's dev server would. A real socket on loopback, not a faked
/// origin: Chromium treats requests from unknown or public origins to loopback with suspicion of its own.
/// </summary>
public sealed class FrontendOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FrontendOrigin(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<FrontendOrigin> StartAsync(string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();

        var bound = new Uri(app.Urls.Single()); // the port Kestrel picked
        return new FrontendOrigin(app, new Uri($"http://localhost:{bound.Port}/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
