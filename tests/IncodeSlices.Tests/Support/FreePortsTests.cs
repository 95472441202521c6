using System.Net;
using System.Net.Sockets;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The ports every test server listens on: never one the kernel could hand to a port-0 listener
/// (WireMock's own pick, a test's bind-and-hold) or an outgoing connection, and never the same twice.
/// </summary>
public sealed class FreePortsTests
{
    [Fact]
    public async Task Ports_asked_for_at_once_are_all_different_bindable_and_below_the_kernels_ephemeral_range()
    {
        var ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]);

        var ports = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(FreePorts.Next)));

        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1_024, ephemeralLow - 1));
        foreach (var port in ports.Take(20))
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start(); // throws if something holds it
        }
    }

    [Fact]
    public void Ports_that_something_else_listens_on_are_skipped()
    {
        var last = FreePorts.Next();
        var held = new List<TcpListener>();
        try
        {
            foreach (var port in Enumerable.Range(last + 1, 20))
            {
                var listener = new TcpListener(IPAddress.Any, port);
                try
                {
                    listener.Start(); // the next ports the run would hand out, taken by "another program"
                    held.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Dispose(); // another test's server has it already
                }
            }
            var heldPorts = held.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToHashSet();

            Assert.DoesNotContain(FreePorts.Next(), heldPorts);
        }
        finally
        {
            held.ForEach(l => l.Stop());
        }
    }
}
