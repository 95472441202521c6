using System.Net.Sockets;
using IncodeSlices.Infrastructure.Startup;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace IncodeSlices.Host;

/// <summary>
/// What the server says when it cannot start: one line naming every bad setting, or the resource
/// (port, folder, file) and what is wrong with it. Never a value (it could be the API key), never a
/// stack trace, which would add nothing for the person fixing a .env or a port.
/// </summary>
internal static class StartupFailure
{
    private const string Prefix = "IncodeSlices cannot start.";

    public static string Describe(Exception exception, ServerOptions? server)
    {
        if (Settings(exception) is { Count: > 0 } failures) return $"{Prefix} {string.Join(" ", failures.Distinct())} See sample.env.";
        var chain = Chain(exception).ToList();
        if (chain.OfType<StartupRefusedException>().FirstOrDefault() is { } refused) return $"{Prefix} {refused.Message}.";
        if (chain.OfType<Sprache.ParseException>().FirstOrDefault() is { } dotenv)
            return $"{Prefix} .env line {dotenv.Position.Line} is not NAME=value (an unterminated quote, or a stray character?); no value is shown.";
        if (chain.Any(e => e is AddressInUseException))
            return $"{Prefix} {Ports(server)} already in use by another process (Incode's Node sample, or another copy of this server?). " +
                "Stop it, or set PORT to a free port.";
        if (chain.OfType<SocketException>().Any(e => e.SocketErrorCode == SocketError.AccessDenied))
            return $"{Prefix} {Ports(server)} needs privileges this user does not have (ports below 1024 do); set PORT to 1024 or above.";
        if (chain.OfType<UnauthorizedAccessException>().Any() && chain.OfType<FileNotFoundException>().Any() is false)
            return $"{Prefix} a file it must read is not readable by this user ({Environment.UserName}): check .env's permissions.";
        return $"{Prefix} Unexpected {exception.GetType().Name}; nothing else is printed in case it quotes a secret.";
    }

    private static string Ports(ServerOptions? server) => server switch
    {
        { MetricsPort: { } metrics } => $"PORT {server.Port} or METRICS_PORT {metrics} is",
        not null => $"PORT {server.Port} is",
        _ => "The port is",
    };

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException many)
                foreach (var inner in many.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }

    private static List<string> Settings(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException or AggregateException)
            => [.. many.InnerExceptions.SelectMany(Settings)],
        _ => [],
    };
}
