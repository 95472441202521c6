using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Features.Start;

/// <summary>
/// The server is killed (SIGKILL) in the middle of concurrent /start load, again and again. Whatever
/// it answered must resume afterwards, and whatever it left behind must parse or be swept away.
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class StartCrashTests : IDisposable
{
    private const int Rounds = 3;
    private readonly IncodeStub _incode = new();
    private readonly string _workDir = Directory.CreateTempSubdirectory("incodeslices-crash-").FullName;
    private string SessionsDir => Path.Combine(_workDir, "sessions");

    private Dictionary<string, string?> Environment => new()
    {
        ["API_URL"] = _incode.Url,
        ["API_KEY"] = IncodeStub.ApiKey,
        ["FLOW_ID"] = IncodeStub.FlowId,
        ["SESSIONS_DIR"] = SessionsDir,
        ["RATE_LIMIT_PER_MINUTE"] = "0", // this is a storm on purpose
    };

    [Fact]
    public async Task Every_answered_session_resumes_and_every_file_parses_after_repeated_SIGKILLs()
    {
        _incode.AnswerAll();
        var answered = new ConcurrentDictionary<string, string>();

        for (var round = 0; round < Rounds; round++)
        {
            using var server = ServerProcess.Start(_workDir, Environment);
            await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
            using var load = new CancellationTokenSource();
            var killAt = answered.Count + 20 + 15 * round; // a different moment in each round
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workers = Enumerable.Range(0, 8).Select(_ => StartSessionsAsync(server.BaseAddress, answered, killAt, reached, load.Token)).ToArray();

            await reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
            server.Kill(); // Process.Kill is SIGKILL: no shutdown, no flush, writes in flight
            load.Cancel();
            await Task.WhenAll(workers);
        }

        Assert.True(answered.Count > 0, "the load never got an answer");

        using var survivor = ServerProcess.Start(_workDir, Environment);
        await survivor.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = survivor.BaseAddress };

        await Eventually.HoldsAsync(() => !Directory.EnumerateFiles(SessionsDir, "*.tmp").Any(), "no temporary file is left"); // swept after start-up
        foreach (var file in Directory.EnumerateFiles(SessionsDir))
        {
            var session = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
            Assert.Equal(Path.GetFileNameWithoutExtension(file), session["uniqueId"]!.GetValue<string>());
        }
        foreach (var (uniqueId, token) in answered)
        {
            var resumed = await (await client.GetAsync($"/start?uniqueId={uniqueId}")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(token, resumed["token"]!.GetValue<string>());
        }
    }

    private static async Task StartSessionsAsync(
        Uri server, ConcurrentDictionary<string, string> answered, int killAt, TaskCompletionSource reached, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = server };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync("/start", stop);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop))!;
                answered[body["uniqueId"]!.GetValue<string>()] = body["token"]!.GetValue<string>();
                if (answered.Count >= killAt) reached.TrySetResult();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
            {
                // the server died mid-answer: that session was never handed out
            }
        }
    }

    public void Dispose()
    {
        _incode.Dispose();
        Directory.Delete(_workDir, recursive: true);
    }
}
