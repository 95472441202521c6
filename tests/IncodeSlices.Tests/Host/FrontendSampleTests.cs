using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;
using Microsoft.Playwright;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// Headless Chromium on a page of another origin calls the server the way Incode's frontend samples
/// do, against the sandbox started by the README's own command. What only a browser checks: CORS
/// answers (including the X-Token preflight) and POST bodies sent as text/plain; and the face
/// authentication flow as the README wires renderAuthFace to it.
/// </summary>
public sealed class FrontendSampleTests : IDisposable
{
    /// <summary>Debian's chromium: a test tool's own browser download cannot work on these machines.</summary>
    private static readonly string Chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    private readonly string _sessions = Directory.CreateTempSubdirectory("incodeslices-browser-").FullName;

    // fetch as the samples write it: no headers on the POST (so text/plain), X-Token on the score.
    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>frontend sample</title></head><body>
        <script>
        async function call(server, path, init) {
          try {
            const response = await fetch(server + path, init);
            return { status: response.status, body: await response.json() };
          } catch (e) {
            return { status: 0, error: String(e) };
          }
        }
        async function runSample(server) {
          const start = await call(server, '/start');
          const token = start.body && start.body.token;
          const uniqueId = start.body && start.body.uniqueId;
          return {
            start,
            resume: await call(server, '/start?uniqueId=' + encodeURIComponent(uniqueId)),
            finish: await call(server, '/finish', { method: 'POST', body: JSON.stringify({ token }) }),
            score: await call(server, '/fetch-score?interviewId=6650f0c2a1b2c3d4e5f60718', { headers: { 'X-Token': token } }),
            failScore: await call(server, '/fetch-score?interviewId=fail-6650f0c2a1b2c3d4', { headers: { 'X-Token': token } }),
          };
        }
        </script>
        </body></html>
        """;

    // The README's renderAuthFace wiring, with a stand-in for the Web SDK (which needs a camera and
    // Incode's servers): like renderAuthFace, it calls onSuccess with the identity it matched the face
    // to, which in the sandbox is the identity the session was started for.
    private const string FaceAuthPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>face authentication sample</title></head><body>
        <div id="camera"></div>
        <script>
        const incodeSdk = {
          renderAuthFace(container, { session, authHint, onSuccess }) {
            setTimeout(() => onSuccess({ overallStatus: 'PASS', candidate: authHint }), 0);
          },
        };
        async function post(server, path, body) {
          try {
            const response = await fetch(server + path, { method: 'POST', body: JSON.stringify(body) });
            return { status: response.status, body: await response.json() };
          } catch (e) {
            return { status: 0, error: String(e) };
          }
        }
        async function faceLogin(server, identityId) {
          const start = await post(server, '/face-auth/start', { identityId });
          const { token, interviewId } = start.body;
          const result = await new Promise((resolve, reject) => incodeSdk.renderAuthFace(document.getElementById('camera'),
            { session: { token, interviewId }, authHint: identityId, onSuccess: resolve, onError: reject }));
          const verify = () => post(server, '/face-auth/verify', { interviewId, token, candidate: result.candidate });
          return { start, verify: await verify(), replay: await verify() };
        }
        async function runFaceAuth(server) {
          return { pass: await faceLogin(server, '68c851bedd5176f7d8bf4758'), fail: await faceLogin(server, 'fail-68c851bedd5176f7d8bf') };
        }
        </script>
        </body></html>
        """;

    [SkippableFact]
    public async Task A_browser_on_another_origin_gets_every_answer_the_samples_ask_for()
    {
        var (answers, output, finishContentType) = await RunInBrowserAsync(Page, "runSample", "/finish");

        var report = $"answers: {answers.ToJsonString()}\nserver:\n{output}";
        foreach (var (name, answer) in answers) Assert.True(answer!["status"]!.GetValue<int>() == 200, $"{name} was not answered 200. {report}");
        var started = answers["start"]!["body"]!;
        Assert.Matches("^[0-9a-f-]{36}$", started["uniqueId"]!.GetValue<string>());
        Assert.Equal(started.ToJsonString(), answers["resume"]!["body"]!.ToJsonString());
        Assert.Equal("approved", answers["finish"]!["body"]!["action"]!.GetValue<string>());
        Assert.Equal("""{"success":true,"score":"OK"}""", answers["score"]!["body"]!.ToJsonString());
        Assert.Equal("""{"success":true,"score":"FAIL"}""", answers["failScore"]!["body"]!.ToJsonString());
        Assert.StartsWith("text/plain", finishContentType);
        Assert.Contains("HTTP OPTIONS /fetch-score responded 204", output); // the X-Token preflight happened and passed
    }

    [SkippableFact]
    public async Task A_browser_on_another_origin_starts_and_verifies_a_face_authentication_once()
    {
        var (answers, output, verifyContentType) = await RunInBrowserAsync(FaceAuthPage, "runFaceAuth", "/face-auth/verify");

        var report = $"answers: {answers.ToJsonString()}\nserver:\n{output}";
        var pass = answers["pass"]!;
        Assert.True(pass["start"]!["status"]!.GetValue<int>() == 200, report);
        Assert.Equal(["token", "interviewId"], pass["start"]!["body"]!.AsObject().Select(p => p.Key));
        Assert.True(pass["verify"]!.ToJsonString() == $$"""{"status":200,"body":{{FaceAuthRequests.ValidAnswer}}}""", report);
        Assert.True(pass["replay"]!.ToJsonString() == $$"""{"status":200,"body":{{FaceAuthRequests.InvalidAnswer}}}""", report);
        Assert.True(answers["fail"]!["verify"]!.ToJsonString() == $$"""{"status":200,"body":{{FaceAuthRequests.InvalidAnswer}}}""", report);
        Assert.StartsWith("text/plain", verifyContentType);
    }

    /// <summary>
    /// The sandbox started as the README says, <paramref name="html"/> served from another origin, and
    /// the page's <paramref name="function"/> run in headless Chromium against the server: its answers,
    /// the server's output, and the Content-Type the browser gave its POST to <paramref name="post"/>.
    /// </summary>
    private async Task<(JsonObject Answers, string Output, string PostContentType)> RunInBrowserAsync(string html, string function, string post)
    {
        // CI installs chromium (.ci/run) and must run this; elsewhere its absence only skips it.
        Skip.If(!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true",
            $"No Chromium at {Chromium}: apt-get install chromium (or set CHROMIUM_PATH) to run the browser test");

        using var server = ServerProcess.StartWithDotnetRun(new Dictionary<string, string?> { ["SESSIONS_DIR"] = _sessions }, ["--sandbox"]);
        var starting = Playwright.CreateAsync(); // its driver starts while the server does
        await using var frontend = await FrontendOrigin.StartAsync(html);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));

        using var playwright = await starting;
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var postContentType = "";
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith(post, StringComparison.Ordinal))
                postContentType = request.Headers.GetValueOrDefault("content-type", "");
        };
        await page.GotoAsync(frontend.Url.ToString());

        var answers = JsonNode.Parse(await page.EvaluateAsync<string>(
            $"async server => JSON.stringify(await {function}(server))", server.BaseAddress.ToString().TrimEnd('/')))!.AsObject();
        await server.StopAsync(TimeSpan.FromSeconds(30)); // the log is written in the background: all of it, once the process has ended
        return (answers, server.Output, postContentType);
    }

    public void Dispose() => Directory.Delete(_sessions, recursive: true);
}
