using IncodeSlices.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Serilog;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// What start-up makes of a configuration, without starting a server: the settings registered as
/// Program registers them (<see cref="ServerRegistration.AddServer"/>), checked as start-up checks
/// them (<see cref="IStartupValidator"/>), a refusal described as the process prints it
/// (<see cref="StartupFailure"/>). Only these settings are read, not the test run's environment.
/// </summary>
public static class StartupCheck
{
    /// <summary>The line start-up refuses this configuration with; null when every setting is accepted.</summary>
    public static string? Refusal(IDictionary<string, string?> settings, string environment = "Testing")
    {
        using var server = Services(settings, environment, new LogCapture());
        try
        {
            server.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (Exception refused)
        {
            return StartupFailure.Describe(refused, server: null);
        }
    }

    /// <summary>What the server warns about at start-up with this configuration, each line as a console shows it.</summary>
    public static async Task<LogCapture> WarningsAsync(IDictionary<string, string?> settings)
    {
        var logs = new LogCapture();
        await using var server = Services(settings, "Testing", logs);
        // No server listens here: the report's start-up line, said once the server has started, never comes.
        await ActivatorUtilities.CreateInstance<StartupReport>(server, new NoServer(), new NeverStarted()).StartAsync(CancellationToken.None);
        return logs;
    }

    private static ServiceProvider Services(IDictionary<string, string?> settings, string environment, LogCapture logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment, ApplicationName = "IncodeSlices.Host" });
        services.AddLogging(logging => logging.AddSerilog(new LoggerConfiguration().WriteTo.Sink(logs).CreateLogger(), dispose: true));
        services.AddServer(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class NoServer : Microsoft.AspNetCore.Hosting.Server.IServer
    {
        public Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public Task StartAsync<TContext>(Microsoft.AspNetCore.Hosting.Server.IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class NeverStarted : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
