using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// A request exactly as written, bytes and all: a target that no <see cref="Uri"/> has normalised,
/// header values HttpClient would refuse (CR/LF, NUL, non-ASCII), any body with or without a length.
/// </summary>
public sealed record RawRequest(string Name, string Method, string Target, byte[]? Body = null,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null, bool Chunked = false)
{
    public IReadOnlyList<KeyValuePair<string, string>> HeaderList => Headers ?? [];

    public override string ToString() => $"{Name}: {Method} {Shorten(Target)}";

    private static string Shorten(string s) => s.Length > 120 ? s[..120] + $"…({s.Length})" : s;
}

public sealed record RawResponse(int Status, string? ContentType, string Body);

public static class RawHttp
{
    /// <summary>
    /// Straight into the app's pipeline, past the client and Kestrel, which would refuse some of these
    /// requests before the app sees them: that is the point, the app must cope on its own.
    /// </summary>
    public static async Task<RawResponse> SendInMemoryAsync(this TestServer server, RawRequest request)
    {
        var (path, query) = Split(request.Target);
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = request.Method;
            c.Request.Path = DecodePath(path);
            c.Request.QueryString = new QueryString(query);
            foreach (var (name, value) in request.HeaderList) c.Request.Headers.Append(name, value);
            if (request.Body is not { } body) return;
            c.Request.Body = new MemoryStream(body);
            if (!request.Chunked) c.Request.ContentLength = body.Length;
        });
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new RawResponse(context.Response.StatusCode, context.Response.ContentType, text);
    }

    /// <summary>Over a real socket, one connection per request. Null when the server closed without a status line.</summary>
    public static async Task<RawResponse?> SendOverSocketAsync(Uri server, RawRequest request, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(Serialize(request, $"{server.Host}:{server.Port}"), cts.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before a large body is fully written; its answer is still there.
        }

        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cts.Token);
        }
        catch (IOException)
        {
            // A reset after the answer: what was read is what counts.
        }
        return Parse(received.ToArray());
    }

    /// <summary>HTTP/1.1 on the wire; header names and values as given, text as UTF-8 (so non-ASCII goes out raw).</summary>
    public static byte[] Serialize(RawRequest request, string host)
    {
        var head = new StringBuilder();
        head.Append(request.Method).Append(' ').Append(request.Target).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(host).Append("\r\nConnection: close\r\n");
        foreach (var (name, value) in request.HeaderList) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (request.Body is { } body)
            head.Append(request.Chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        head.Append("\r\n");

        var bytes = new MemoryStream();
        bytes.Write(Encoding.UTF8.GetBytes(head.ToString()));
        if (request.Body is { } content)
        {
            if (!request.Chunked) bytes.Write(content);
            else
            {
                bytes.Write(Encoding.ASCII.GetBytes($"{content.Length:x}\r\n"));
                bytes.Write(content);
                bytes.Write("\r\n0\r\n\r\n"u8);
            }
        }
        return bytes.ToArray();
    }

    private static RawResponse? Parse(byte[] received)
    {
        var end = received.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0 || !received.AsSpan().StartsWith("HTTP/1.1 "u8)) return null;

        var lines = Encoding.Latin1.GetString(received, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        string? Header(string name) => lines.Skip(1)
            .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();

        var body = received[(end + 4)..];
        if (Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true) body = Dechunk(body);
        return new RawResponse(status, Header("Content-Type"), Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var body = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0], 16);
            if (size == 0) break;
            var start = at + lineEnd + 2;
            body.Write(chunked, start, Math.Min(size, chunked.Length - start));
            at = start + size + 2;
        }
        return body.ToArray();
    }

    /// <summary>As Kestrel decodes a path; one it refuses (an encoded NUL) reaches the app undecoded instead.</summary>
    private static PathString DecodePath(string path)
    {
        try
        {
            return PathString.FromUriComponent(path);
        }
        catch (InvalidOperationException)
        {
            return new PathString(path);
        }
    }

    private static (string Path, string Query) Split(string target)
    {
        var q = target.IndexOf('?');
        return q < 0 ? (target, "") : (target[..q], target[q..]);
    }
}
