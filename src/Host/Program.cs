using IncodeSlices.Features;
using IncodeSlices.Host;
using IncodeSlices.Infrastructure.Approvals;
using IncodeSlices.Infrastructure.Health;
using IncodeSlices.Infrastructure.Http;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.Sessions;
using IncodeSlices.Infrastructure.Storage;
using Microsoft.Extensions.Options;
using Serilog;

// .env fills what the real environment leaves unset; never TraversePath(), or a test run would
// read some parent folder's real .env.
DotNetEnv.Env.NoClobber().Load();

if (args is [HealthProbe.Argument])
{
    Environment.ExitCode = await HealthProbe.RunAsync(Environment.GetEnvironmentVariable("PORT"));
    return;
}

try
{
    // Configuration comes from the environment and .env; no appsettings file is shipped. Reloading
    // one on change would watch the working directory and every folder below it, and in the
    // container (/app) and under `dotnet run` (the repository) that includes sessions/: each stored
    // session woke a file watcher (inotify) for nothing.
    var builder = WebApplication.CreateBuilder([.. SandboxMode.ExpandFlag(args), "--hostBuilder:reloadConfigOnChange=false"]);
    // Kestrel would read "http://0.0.0.0:abc" as port 80 and start anyway.
    if (!int.TryParse(builder.Configuration["PORT"] ?? "3000", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
        || port is < 1 or > 65535)
        throw new OptionsValidationException("PORT", typeof(int), ["PORT must be a port number from 1 to 65535."]);
    builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
    // A logger of its own rather than the static Log.Logger: test hosts run side by side in one process.
    builder.Services.AddSerilog((services, logger) => HostLogging.Configure(logger, services), preserveStaticLogger: true);

    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddIncode(builder.Configuration);
    builder.Services.AddRecordStore(builder.Configuration);
    builder.Services.AddSessionStore();
    builder.Services.AddApprovalLedger();
    builder.Services.AddHttpEdge(builder.Configuration);
    builder.Services.AddFeatures();
    builder.Services.AddHealth();
    builder.Services.AddHostedService<StartupWarnings>();

    var app = builder.Build();
    app.UseSerilogRequestLogging(options => HostLogging.ConfigureRequestLogging(options, app.Services));
    app.UseHttpEdge(
        endpoints: endpoints =>
        {
            endpoints.MapFeatures();
            endpoints.MapHealth();
        },
        documentation: docs => docs.UseFeatureDocument());
    app.Run();
}
catch (OptionsValidationException invalid)
{
    // The message names each missing variable and never a value; a stack trace would add nothing.
    Console.Error.WriteLine($"IncodeSlices cannot start. {string.Join(" ", invalid.Failures)} See sample.env.");
    Environment.ExitCode = 1;
}
catch (InvalidOperationException unreadable) when (unreadable.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // A number that is not one (INCODE_TIMEOUT_SECONDS=, say): the binder's sentence names it.
    Console.Error.WriteLine($"IncodeSlices cannot start. {unreadable.Message} See sample.env.");
    Environment.ExitCode = 1;
}

public partial class Program;
