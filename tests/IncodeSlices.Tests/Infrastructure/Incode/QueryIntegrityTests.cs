using System.Net;
using System.Text.Json.Nodes;
using CsCheck;
using IncodeSlices.Infrastructure.Incode;
using IncodeSlices.Tests.Support;
using WireMock.Logging;
using Xunit.Abstractions;

namespace IncodeSlices.Tests.Infrastructure.Incode;

/// <summary>
/// Whatever a caller puts in an interviewId, Incode gets it back as one query value, unchanged, or
/// the caller gets a 400: it never splits into a second parameter, loses a fragment, or changes.
/// </summary>
public sealed class QueryIntegrityTests(ITestOutputHelper output) : IDisposable
{
    private const int Samples = 10_000;
    private readonly IncodeStub _incode = new();

    /// <summary>Ids built from the characters that break naive query building, with unicode and now and then 1 KB of them.</summary>
    private static readonly Gen<string> InterviewIds = Gen.Frequency(
            (9, Piece.Array[0, 40]),
            (1, Piece.Array[400, 700]))
        .Select(pieces => string.Concat(pieces));

    private static Gen<string> Piece => Gen.OneOf(
        Gen.Char["&#?%/=+;,: \t\r\n\\\"'<>[]{}|^`\0"].Select(c => c.ToString()),
        Gen.Char["abcdefABCDEF0123456789"].Select(c => c.ToString()),
        Gen.OneOf("é", "面", "🙂", "\u2024", "\uff0e", "\ufeff", "\u202e", "\u00a0", "\ufffd", "e\u0301"),
        Gen.OneOf("%2F", "%26", "%23", "%3D", "%00", "%25", "%zz", "%%", "%E2%80%A4", "&id=", "?id=", "#id="));

    /// <summary>(route, how the id is sent, Incode path and query parameter that must carry it)</summary>
    private static readonly (string Route, Func<string, HttpRequestMessage> Request, (string Path, string Parameter)[] Carriers)[] Routes =
    [
        ("/onboarding-status", id => new HttpRequestMessage(HttpMethod.Get, $"/onboarding-status?interviewId={Uri.EscapeDataString(id)}"),
            [(IncodePaths.OnboardingStatus, "id")]),
        ("/fetch-score", id => new HttpRequestMessage(HttpMethod.Get, $"/fetch-score?interviewId={Uri.EscapeDataString(id)}")
            { Headers = { { "X-Token", "session-token" } } },
            [(IncodePaths.Score, "id")]),
        ("/approve", id => Requests.PostJson("/approve", Finished(id)),
            [(IncodePaths.Score, "id"), (IncodePaths.ProcessApprove, "interviewId")]),
        ("/webhook", id => Requests.PostJson("/webhook", Finished(id)),
            [(IncodePaths.Score, "id")]),
    ];

    [Fact]
    public async Task Incode_receives_every_interviewId_as_exactly_one_unchanged_query_value_or_the_caller_gets_a_400()
    {
        _incode.AnswerAll();
        using var api = TestApp.WithStub(_incode, new Dictionary<string, string?>
        {
            ["INCODE_TIMEOUT_SECONDS"] = "30", // a slow stub on a busy machine must not pass for a failure
            ["INCODE_ATTEMPT_TIMEOUT_SECONDS"] = "15",
        });
        using var client = api.CreateClient();
        var outcomes = new Dictionary<string, int>();
        var approved = new HashSet<string>(StringComparer.Ordinal);

        await Gen.Select(InterviewIds, Gen.Int[0, Routes.Length - 1]).SampleAsync(async (id, route) =>
        {
            _incode.Server.ResetLogEntries();
            var (name, request, carriers) = Routes[route];
            var response = await client.SendAsync(request(id));
            var status = (int)response.StatusCode;
            lock (outcomes) outcomes[$"{name} {status}"] = outcomes.GetValueOrDefault($"{name} {status}") + 1;

            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.False((await response.JsonAsync(HttpStatusCode.BadRequest))["success"]!.GetValue<bool>());
                Assert.Empty(_incode.Calls);
                return;
            }
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name} answered {status}: {await response.Content.ReadAsStringAsync()}");
            if (name == "/webhook" && id.Length == 0) return; // nothing to look up, nothing sent
            if (name == "/approve" && !approved.Add(id)) return; // approved once already: answered from the record, no call
            foreach (var (path, parameter) in carriers)
                Assert.Equal([(parameter, id)], QueryOf(_incode.SingleCallTo(path)));
        }, iter: Samples, threads: 1, print: t => $"{Routes[t.Item2].Route} {System.Text.Json.JsonSerializer.Serialize(t.Item1)}");

        output.WriteLine($"{Samples} interviewIds: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}×{o.Value}")));
    }

    /// <summary>The query as Incode's server reads it: split on &amp; and the first =, '+' is a space, then percent-decoded.</summary>
    private static (string Name, string Value)[] QueryOf(ILogEntry call)
    {
        var raw = call.RequestMessage.RawQuery ?? "";
        return raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var at = pair.IndexOf('=');
            var (name, value) = at < 0 ? (pair, "") : (pair[..at], pair[(at + 1)..]);
            return (Decode(name), Decode(value));
        }).ToArray();
    }

    private static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));

    private static string Finished(string interviewId) =>
        new JsonObject { ["interviewId"] = interviewId, ["onboardingStatus"] = "ONBOARDING_FINISHED" }.ToJsonString();

    public void Dispose() => _incode.Dispose();
}
