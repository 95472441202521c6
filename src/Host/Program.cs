using IncodeSlices.Features;
using IncodeSlices.Features.WebhookAccess;
using IncodeSlices.Host;
using IncodeSlices.Infrastructure.Callers;
using IncodeSlices.Infrastructure.Errors;
using IncodeSlices.Infrastructure.Health;
using IncodeSlices.Infrastructure.Http;
using IncodeSlices.Infrastructure.Incode.Sandbox;
using IncodeSlices.Infrastructure.SessionBudget;
using Serilog;

ServerOptions? server = null;
try
{
    // .env fills what the real environment leaves unset; never TraversePath(), or a test run would
    // read some parent folder's real .env.
    DotNetEnv.Env.NoClobber().Load();

    if (args is [HealthProbe.Argument])
    {
        Environment.ExitCode = await HealthProbe.RunAsync(Environment.GetEnvironmentVariable("PORT"));
        return;
    }

    // Settings come from the environment and .env only. Reloading an appsettings file on change
    // would watch the working directory and every folder below it, sessions/ included. The slim
    // builder leaves out what this server never uses (IIS, HTTPS set-up, host filtering, the default
    // logging providers Serilog replaces), which start-up would otherwise load and run.
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        Args = [.. SandboxMode.ExpandFlag(args), "--hostBuilder:reloadConfigOnChange=false"],
        // `dotnet run` runs in Development unless the shell names an environment: the launch profile
        // only suggests one, so ASPNETCORE_ENVIRONMENT=Production set by hand is obeyed.
        EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is null
            && Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is null
                ? Environment.GetEnvironmentVariable("INCODESLICES_RUN_ENVIRONMENT")
                : null,
    });
    server = ServerOptions.Read(builder.Configuration);
    var telemetry = TelemetrySettings.Of(server);
    builder.WebHost.UseUrls(server.Urls());
    // A logger of its own rather than the static Log.Logger: test hosts run side by side in one process.
    builder.Services.AddSerilog((services, logger) => HostLogging.Configure(logger, services, telemetry), preserveStaticLogger: true);
    builder.Services.AddServerTelemetry(telemetry); // metrics and traces, exported only where configured

    // Every setting (through its options class, checked at start-up), Incode, the stores, the features, health.
    builder.Services.AddServer(builder.Configuration);
    builder.Services.AddFrameworkOptions();

    var app = builder.Build();
    // Every setting checked now, all bad ones reported together, before building the pipeline reads any.
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    // Endpoints first: mapping adds no middleware, and the OpenAPI generator reads what FastEndpoints sets here.
    app.MapFeatures();                   // the slices' endpoints, errors in the contract's shape
    app.MapHealth();                     // /health, /health/ready

    // The request pipeline, in the order a request passes through it, down to the endpoint.
    app.UseMetricsPort(telemetry);       // METRICS_PORT: /metrics and nothing else; the public port never answers it
    app.UseRequestSpans(telemetry);      // OTLP: a traced request's span gets its route and status
    app.UseSerilogRequestLogging(options => HostLogging.ConfigureRequestLogging(options, app.Services));
    app.UseErrorAnswers();               // what fails below answers {"success":false,"error":…}
    app.UseTrustedProxies();             // the client address, from X-Forwarded-For only via TRUSTED_PROXIES
    app.UseCallerCors();                // CORS_ORIGINS; a request without Origin passes by
    app.UseJsonPostBodies();             // a POST is JSON whatever its Content-Type says
    app.UseFeatureDocument();            // /swagger/v1/swagger.json and /swagger
    app.UseRouting();
    app.UseUnknownRoutesAsNotFound();    // 404 {"error":"Cannot GET /nope"}
    app.UseWebhookSources();             // /webhook, /approve, /oauth/token: 403 outside WEBHOOK_ALLOWED_IPS
    app.UseWebhookAuthentication();      // /webhook and /approve: 401 before the body is read
    app.UseCallerAuthentication();       // CALLER_JWT_AUTHORITY: the app's user, on the routes that need one (401/503/429)
    app.UseSessionBudget();              // the budget of billable sessions per client address (not on a resume)
    app.UseJsonBodyReader();             // at most 64 KB, and a JSON object (a form on /oauth/token)
    app.Run();
}
catch (Exception refused) when (refused is not HostAbortedException) // the test host stops Program that way
{
    Console.Error.WriteLine(StartupFailure.Describe(refused, server));
    Environment.ExitCode = 1;
}

public partial class Program;
