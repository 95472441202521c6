using System.Net;
using System.Net.Sockets;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The one source of listening ports for the whole run: every server a test stands up (the server
/// process, WireMock stubs, Redis, the OIDC issuer, the OTLP receiver) takes its port from here.
/// <para>
/// Asking the kernel for port 0 and releasing it, the usual trick, is a race: the port goes back to
/// the ephemeral pool, and until the real listener binds it, anything else asking for port 0 (another
/// stub, a client's outgoing connection) can be given the same one. Two listeners then share a port,
/// one test's requests land on another test's stub, and both fail. So ports come from below the
/// kernel's ephemeral range, which it never hands out for port 0 or outgoing connections, and each
/// is handed out once per run. Each run starts at a random place in that range, so two runs on one
/// machine rarely meet, and a port some other program holds is skipped.
/// </para>
/// </summary>
public static class FreePorts
{
    private const int Lowest = 10_000;
    private static readonly int Highest = EphemeralLow() - 1;
    private static int _next = Lowest + Random.Shared.Next(Highest - Lowest);

    /// <summary>A port nothing listens on now, and that nothing else in this run is or will be given.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Lowest + ((Interlocked.Increment(ref _next) - Lowest) % (Highest - Lowest + 1));
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"no free port between {Lowest} and {Highest}");
    }

    /// <summary>Bindable on every address, as the servers bind it (0.0.0.0 and [::]).</summary>
    private static bool IsFree(int port)
    {
        try
        {
            if (Socket.OSSupportsIPv6)
            {
                using var dual = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
                dual.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            }
            else
            {
                using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                v4.Bind(new IPEndPoint(IPAddress.Any, port));
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The bottom of the range the kernel picks port 0 and outgoing ports from (Linux's default if unreadable).</summary>
    private static int EphemeralLow()
    {
        const int linuxDefault = 32_768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.TryParse(range[0], out var low) && low > Lowest + 1_000 ? low : linuxDefault;
        }
        catch (IOException)
        {
            return linuxDefault;
        }
        catch (UnauthorizedAccessException)
        {
            return linuxDefault;
        }
    }
}
