using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IncodeSlices.Tests.Support;

/// <summary>How <see cref="RudeIncode"/> breaks HTTP, below what WireMock can be told to do.</summary>
public enum Rudeness
{
    /// <summary>Reads the request, then resets the connection (RST) without a byte of answer.</summary>
    Reset,
    /// <summary>A 200 whose chunked encoding is broken after the first chunk.</summary>
    BrokenChunks,
    /// <summary>A 200 announcing 1000 bytes, sending five and then nothing.</summary>
    StalledBody,
    /// <summary>A 200 streaming 50 MB of JSON in chunks, with no length announced.</summary>
    HugeChunkedBody,
}

/// <summary>
/// Incode on a raw socket: every call answered with the example payload, except the one path that is
/// told to misbehave. Counts the calls per path. One connection per call (Connection: close).
/// </summary>
public sealed class RudeIncode : IDisposable
{
    public const int HugeBodyBytes = 50 * 1024 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly SemaphoreSlim _called = new(0);

    public RudeIncode()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The path that misbehaves, and how; null: every call is answered well.</summary>
    public (string Path, Rudeness How)? Fault { get; set; }

    public int CallsTo(string path) => _calls.GetValueOrDefault(path);

    /// <summary>Waits, woken by each call, until <paramref name="count"/> calls to <paramref name="path"/> have arrived.</summary>
    public async Task WaitForCallsAsync(string path, int count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (CallsTo(path) < count) await _called.WaitAsync(TimeSpan.FromMilliseconds(100), patience.Token);
    }

    public void Reset()
    {
        Fault = null;
        _calls.Clear();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var path = await ReadRequestAsync(stream);
            _calls.AddOrUpdate(path, 1, (_, n) => n + 1);
            _called.Release();
            if (Fault is { } fault && fault.Path == path) await MisbehaveAsync(client, stream, fault.How);
            else await AnswerAsync(stream, IncodeCalls.PayloadOf(path));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server under test hung up first: that is what it should do to a rude Incode.
        }
    }

    private async Task MisbehaveAsync(TcpClient client, NetworkStream stream, Rudeness how)
    {
        const string chunkedHead = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        switch (how)
        {
            case Rudeness.Reset:
                client.Client.LingerState = new LingerOption(true, 0);
                client.Client.Close();
                break;
            case Rudeness.BrokenChunks:
                await WriteAsync(stream, chunkedHead + "5\r\n{\"a\":\r\nnot-a-chunk-size\r\n\"b\"}\r\n");
                break;
            case Rudeness.StalledBody:
                await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":");
                await Task.Delay(TimeSpan.FromSeconds(30), _stop.Token);
                break;
            case Rudeness.HugeChunkedBody:
                await WriteAsync(stream, chunkedHead + "1\r\n[\r\n");
                var data = string.Concat(Enumerable.Repeat("\"0123456789abcd\",", 4096));
                var chunk = Encoding.ASCII.GetBytes($"{data.Length:x}\r\n{data}\r\n");
                for (var sent = 0; sent < HugeBodyBytes; sent += data.Length) await stream.WriteAsync(chunk, _stop.Token);
                await WriteAsync(stream, "1\r\n]\r\n0\r\n\r\n");
                break;
        }
    }

    /// <summary>The request's path (query dropped); its head and any Content-Length body are read and discarded.</summary>
    private async Task<string> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) throw new IOException("closed before the request ended");
            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim())).FirstOrDefault();
        await stream.ReadExactlyAsync(new byte[length], _stop.Token);
        return lines[0].Split(' ')[1].Split('?')[0];
    }

    private async Task AnswerAsync(NetworkStream stream, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(body, _stop.Token);
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
