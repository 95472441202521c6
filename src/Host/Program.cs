using IncodeSlices.Features;
using IncodeSlices.Host;
using IncodeSlices.Infrastructure.Health;
using IncodeSlices.Infrastructure.Http;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Sessions;
using Microsoft.Extensions.Options;
using Serilog;

// .env fills what the real environment leaves unset; never TraversePath(), or a test run would
// read some parent folder's real .env.
DotNetEnv.Env.NoClobber().Load();

var builder = WebApplication.CreateBuilder(SandboxMode.ExpandFlag(args));
builder.WebHost.UseUrls($"http://0.0.0.0:{builder.Configuration["PORT"] ?? "3000"}");
builder.Services.AddSerilog((services, logger) => HostLogging.Configure(logger, services));

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddIncode(builder.Configuration);
builder.Services.AddSessionStore(builder.Configuration);
builder.Services.AddHttpEdge(builder.Configuration);
builder.Services.AddFeatures();
builder.Services.AddHealth();
builder.Services.AddHostedService<StartupWarnings>();

var app = builder.Build();
app.UseSerilogRequestLogging(HostLogging.ConfigureRequestLogging);
app.UseHttpEdge(
    endpoints: endpoints =>
    {
        endpoints.MapFeatures();
        endpoints.MapHealth();
    },
    documentation: docs => docs.UseFeatureDocument());

try
{
    app.Run();
}
catch (OptionsValidationException invalid)
{
    // The message names each missing variable and never a value; a stack trace would add nothing.
    Console.Error.WriteLine($"IncodeSlices cannot start. {string.Join(" ", invalid.Failures)} See sample.env.");
    Environment.ExitCode = 1;
}

public partial class Program;
