using System.Text;
using System.Text.Json.Nodes;
using IncodeSlices.Infrastructure.Incode;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// Requests no well-behaved frontend sends, for all ten routes: every hostile value in every place a
/// route reads one (query, X-Token, each body field), in several encodings, and bodies broken in every
/// way a parser can be. Their `outside` is a folder a path traversal would reach.
/// </summary>
internal static class MalformedRequests
{
    private const string GoodToken = "session-token";
    private const string GoodInterview = "6650f0c2a1b2c3d4e5f60718";
    private const string SomeSession = "0b6e1d9c-3f0a-4a7e-9c1d-2f8e5b7a6c40";
    private const string GoodIdentity = "68c851bedd5176f7d8bf4758";

    /// <summary>A token that, written raw into a header, ends the call to Incode and starts a second one.</summary>
    public const string Smuggled = "t\r\nContent-Length: 0\r\n\r\nPOST /omni/process/approve?interviewId=smuggled HTTP/1.1\r\nHost: incode\r\nX-Injected: yes";

    /// <summary>Values a route may be handed as an id, token or URL.</summary>
    public static IReadOnlyList<string> HostileValues(string outside) =>
    [
        // path traversal, in the encodings a decoder might undo once too often or not at all
        "../../../../etc/passwd", "../outside", "../" + SomeSession, SomeSession + "/../../outside",
        "..\\..\\outside", "..%2f..%2foutside", "%2e%2e%2f%2e%2e%2foutside", "%252e%252e%252foutside",
        "..%5c..%5coutside", "..%c0%af..%c0%afoutside", "....//....//outside", "..;/outside", "..", ".",
        "/etc/passwd", Path.Combine(outside, "absolute"), "C:\\Windows\\win.ini", "\\\\server\\share\\x", "~/.ssh/id_rsa",
        "a\0b", "\0", SomeSession + "\0.json", "..\0/outside",
        // look-alike dots and slashes: one-dot leader, two-dot leader, fullwidth, ideographic, division slash
        "\u2024\u2024/outside", "\u2025/outside", "\uff0e\uff0e\uff0foutside", "\u3002\u3002/outside", "..\u2215outside",
        // unicode, invisible and control characters
        "ÄÖÜ-интервью-面接", "🙂🙃", "\u202e\u200b\ufeff", "e\u0301", "\ufffd", "a\r\nSet-Cookie: x=1", Smuggled, "\r\n", "\n", "a\rb", "\t",
        // query and JSON metacharacters
        "a&id=b", "a#b", "a?b", "%", "%zz", "a=b", "+", "a b", "<script>alert(1)</script>", "{\"$ne\":null}", "${jndi:ldap://x}",
        // length
        "", " ", new string('a', 5000), new string('é', 3000), string.Concat(Enumerable.Repeat("../", 2000)),
        // redirection URLs that must not pass as https
        "javascript:alert(1)", "https://evil.example\\@good.example", "//evil.example", "https://user:pw@evil.example",
        "file:///etc/passwd", "http://evil.example", "https://evil.example/%0d%0aX:1",
    ];

    public static IEnumerable<RawRequest> All(string outside)
    {
        var values = HostileValues(outside);
        return QueryValues(values).Concat(TokenHeaders(values)).Concat(BodyFields(values))
            .Concat(BrokenBodies()).Concat(OddHeadersAndMethods()).Concat(OddPaths());
    }

    /// <summary>(route, parameter, headers that make the rest of the request valid)</summary>
    private static readonly (string Route, string Parameter, KeyValuePair<string, string>[] Headers)[] QueryCarriers =
    [
        ("/start", "uniqueId", []),
        ("/start", "uuid", []),
        ("/onboarding-url", "redirectionUrl", []),
        ("/onboarding-status", "interviewId", []),
        ("/fetch-score", "interviewId", [new("X-Token", GoodToken)]),
    ];

    private static IEnumerable<RawRequest> QueryValues(IReadOnlyList<string> values)
    {
        foreach (var (route, parameter, headers) in QueryCarriers)
            foreach (var value in values)
            {
                var encoded = Uri.EscapeDataString(value);
                yield return new($"{parameter} encoded {Label(value)}", "GET", $"{route}?{parameter}={encoded}", Headers: headers);
                yield return new($"{parameter} raw {Label(value)}", "GET", $"{route}?{parameter}={value}", Headers: headers);
                yield return new($"{parameter} double-encoded {Label(value)}", "GET", $"{route}?{parameter}={Uri.EscapeDataString(encoded)}", Headers: headers);
            }
        yield return new("interviewId twice", "GET", $"/onboarding-status?interviewId=a&interviewId=b");
        yield return new("uniqueId twice", "GET", $"/start?uniqueId={SomeSession}&uniqueId=../outside");
        yield return new("uniqueId and uuid disagree", "GET", $"/start?uniqueId={SomeSession}&uuid=../outside");
        yield return new("parameter without value", "GET", "/fetch-score?interviewId", Headers: [new("X-Token", GoodToken)]);
        yield return new("query of separators", "GET", "/onboarding-status?&&&=&=?#");
    }

    private static IEnumerable<RawRequest> TokenHeaders(IReadOnlyList<string> values)
    {
        foreach (var value in values)
            yield return new($"X-Token {Label(value)}", "GET", $"/fetch-score?interviewId={GoodInterview}", Headers: [new("X-Token", value)]);
        yield return new("X-Token over 4 KB", "GET", $"/fetch-score?interviewId={GoodInterview}", Headers: [new("X-Token", new string('t', 4097))]);
        yield return new("X-Token twice", "GET", $"/fetch-score?interviewId={GoodInterview}", Headers: [new("X-Token", "a"), new("X-Token", "b")]);
    }

    /// <summary>A valid body per POST route, and the string fields a hostile value can go into.</summary>
    private static readonly (string Route, Func<JsonObject> Valid, string[] Fields)[] BodyCarriers =
    [
        ("/finish", () => new JsonObject { ["token"] = GoodToken }, ["token"]),
        ("/auth", () => new JsonObject { ["transactionId"] = "tx", ["token"] = GoodToken, ["interviewToken"] = "it" },
            ["transactionId", "token", "interviewToken"]),
        ("/webhook", () => IncodePayloads.ReadObject("webhook.onboarding-status"), ["interviewId", "onboardingStatus"]),
        ("/approve", () => IncodePayloads.ReadObject("webhook.onboarding-status"), ["interviewId", "onboardingStatus"]),
        ("/face-auth/start", () => new JsonObject { ["identityId"] = GoodIdentity }, ["identityId"]),
        ("/face-auth/verify", () => new JsonObject { ["interviewId"] = GoodInterview, ["token"] = GoodToken, ["candidate"] = GoodIdentity },
            ["interviewId", "token", "candidate"]),
    ];

    private static IEnumerable<RawRequest> BodyFields(IReadOnlyList<string> values)
    {
        foreach (var (route, valid, fields) in BodyCarriers)
            foreach (var field in fields)
            {
                foreach (var value in values) yield return Post($"{field} {Label(value)}", route, With(valid(), field, JsonValue.Create(value)));
                JsonNode?[] wrongTypes = [123, -1.5, true, null, new JsonArray(), new JsonObject(), new JsonArray(GoodToken, GoodToken)];
                foreach (var wrong in wrongTypes) yield return Post($"{field} of type {wrong?.GetValueKind().ToString() ?? "null"}", route, With(valid(), field, wrong));
                var without = valid();
                without.Remove(field);
                yield return Post($"{field} missing", route, without.ToJsonString());
                yield return Post($"{field} 60 KB", route, With(valid(), field, new string('x', 60 * 1024)));
                yield return Post($"{field} as 1e400", route, valid().ToJsonString().Replace($"\"{field}\":", $"\"{field}\":1e400,\"_\":"));
                yield return Post($"{field} as lone surrogate", route, Replace(valid(), field, "\"\\ud800\""));
                yield return Post($"{field} as reversed surrogates", route, Replace(valid(), field, "\"\\udc00\\ud800\""));
                yield return Post($"{field} with escaped NUL", route, Replace(valid(), field, "\"a\\u0000b\""));
                yield return Post($"{field} twice", route, valid().ToJsonString().TrimEnd('}') + $",\"{field}\":\"../outside\"}}");
            }
    }

    private static IEnumerable<RawRequest> BrokenBodies()
    {
        foreach (var (route, valid, _) in BodyCarriers)
        {
            var json = valid().ToJsonString();
            foreach (var cut in new[] { 0, 1, json.Length / 3, json.Length / 2, json.Length - 2, json.Length - 1 })
                yield return Post($"truncated at {cut}", route, json[..cut]);

            string[] invalid =
            [
                "{", "}", "{'token':'t'}", "{token:\"t\"}", "{\"token\":}", "{\"token\":\"t\",}", json + " x", json + json,
                "/* c */" + json, "NaN", " ", "\"unterminated", "{\"token\":\"\\x\"}", "{\"token\":\"t\"\u0000}", "{\"a\"\n:\n\"b\"", "\ufeff\ufeff" + json,
            ];
            foreach (var body in invalid) yield return Post($"invalid JSON {Label(body)}", route, body);

            string[] notObjects = ["null", "[]", "[" + json + "]", "1", "-0", "1e400", "\"" + GoodToken + "\"", "true", "false"];
            foreach (var body in notObjects) yield return Post($"JSON {Label(body)}", route, body);

            byte[] bom = [0xEF, 0xBB, 0xBF];
            yield return Post("UTF-8 BOM then JSON", route, [.. bom, .. Encoding.UTF8.GetBytes(json)]);
            yield return Post("UTF-8 BOM alone", route, bom);
            yield return Post("UTF-16 with its BOM", route, Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(json)).ToArray());
            foreach (var bad in new byte[][] { [0xFF, 0xFE], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80] })
                yield return Post($"invalid UTF-8 {Convert.ToHexString(bad)}", route,
                    [.. "{\"token\":\""u8.ToArray(), .. bad, .. "\",\"interviewId\":\""u8.ToArray(), .. bad, .. "\"}"u8.ToArray()]);

            yield return Post("10,000 nested arrays", route, new string('[', 10_000) + new string(']', 10_000));
            yield return Post("10,000 nested objects", route, string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000));
            yield return Post("10,000 nested in a field", route, "{\"token\":" + new string('[', 10_000) + new string(']', 10_000) + "}");
            yield return Post("10,000 unclosed", route, new string('[', 10_000));
            yield return Post("65 KB with a length", route, json.TrimEnd('}') + $",\"pad\":\"{new string('p', 65 * 1024)}\"}}");
            yield return Post("65 KB chunked", route, json.TrimEnd('}') + $",\"pad\":\"{new string('p', 65 * 1024)}\"}}", chunked: true);
            yield return Post("1 MB of spaces", route, new string(' ', 1024 * 1024) + json);
            yield return Post("empty", route, "");
            yield return Post("no body at all", route, body: (byte[]?)null);
            yield return Post("10,000 keys", route, "{" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"\"k{i}\":{i}")) + "}");
        }
    }

    private static IEnumerable<RawRequest> OddHeadersAndMethods()
    {
        string[] routes = ["/start", "/onboarding-url", "/onboarding-status", "/fetch-score", "/auth", "/webhook", "/approve", "/finish",
            "/face-auth/start", "/face-auth/verify"];
        string[] gets = routes[..4];
        foreach (var route in routes)
        {
            var method = gets.Contains(route) ? "GET" : "POST";
            var body = method == "POST" ? Encoding.UTF8.GetBytes("{\"token\":\"t\"}") : null;
            yield return new("5 KB header", method, route, body, [new("X-Padding", new string('h', 5 * 1024))]);
            yield return new("CR/LF in a header", method, route, body, [new("X-Forwarded-For", "1.2.3.4\r\nX-Injected: yes")]);
            yield return new("CR/LF in Content-Type", method, route, body, [new("Content-Type", "application/json\r\nX-Injected: yes")]);
            yield return new("NUL in a header", method, route, body, [new("Origin", "https://a\0.example")]);
            yield return new("UTF-16 charset", method, route, body, [new("Content-Type", "application/json; charset=utf-16")]);
            yield return new("form content type", method, route, body, [new("Content-Type", "application/x-www-form-urlencoded")]);
            yield return new("multipart content type", method, route, body, [new("Content-Type", "multipart/form-data; boundary=x")]);
            yield return new("garbage content type", method, route, body, [new("Content-Type", ";;;===")]);
            yield return new("unreadable Content-Length", method, route, body, [new("Content-Length", "abc")]);
            yield return new("non-ASCII header", method, route, body, [new("Accept-Language", "ÄÖÜ-интервью")]);
            yield return new("other method", method == "GET" ? "POST" : "GET", route, body);
            yield return new("PUT", "PUT", route, body);
            yield return new("TRACE", "TRACE", route);
            yield return new("made-up method", "FOO", route);
            yield return new("OPTIONS without preflight headers", "OPTIONS", route);
            if (method == "GET") yield return new("GET with a body", "GET", route, "{\"token\":\"t\"}"u8.ToArray());
        }
    }

    private static IEnumerable<RawRequest> OddPaths()
    {
        string[] paths =
        [
            "/start/../start", "/%2e%2e/start", "/start%2f..%2f..%2fetc%2fpasswd", "/..%5cstart", "/start/%00", "/start%00", "//start",
            "/START", "/start/", "/start;x", "/start%20", "/%EF%BC%8Fstart", "/\uff53tart", "/sessions/" + SomeSession + ".json",
            "/../../etc/passwd", "/%252e%252e/etc/passwd", "/" + new string('a', 10_000), "/finish%0d%0aX-Injected:%20yes",
        ];
        foreach (var path in paths)
        {
            yield return new("odd path", "GET", path);
            yield return new("odd path", "POST", path, "{}"u8.ToArray());
        }
    }

    private static RawRequest Post(string name, string route, string body, bool chunked = false) =>
        Post(name, route, Encoding.UTF8.GetBytes(body), chunked);

    private static RawRequest Post(string name, string route, byte[]? body, bool chunked = false) =>
        new(name, "POST", route, body, Chunked: chunked);

    private static string With(JsonObject body, string field, JsonNode? value)
    {
        body[field] = value;
        return body.ToJsonString();
    }

    /// <summary>The body with <paramref name="field"/> set to a raw JSON text the serializer would not write.</summary>
    private static string Replace(JsonObject body, string field, string rawJson)
    {
        body[field] = "__placeholder__";
        return body.ToJsonString().Replace("\"__placeholder__\"", rawJson);
    }

    /// <summary>A short, printable name for a value: control characters escaped as JSON would.</summary>
    private static string Label(string value) =>
        System.Text.Json.JsonSerializer.Serialize(value.Length > 24 ? value[..24] + "…" : value);
}
