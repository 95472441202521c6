using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

[assembly: SupportedOSPlatform("linux")] // fdatasync and renameat2 are called directly

// The bench's bare floor: what IncodeSlices does on each measured route, in the plainest ASP.NET
// Core there is. Same upstream call (path, query, headers, body) to the same Incode stand-in,
// same JSON answer, same durable session file and ownership records, same forgetting of a finished
// session's token; no logging, validation, mediator, OpenAPI, error
// mapping or resilience. bench/run.sh divides the server's figures by this one's: the ratio is what
// the server's own machinery costs on top of the work itself.
//
// Reads the server's variables: API_URL, API_KEY, FLOW_ID, ADMIN_TOKEN, SESSIONS_DIR, PORT.
// Listens on 127.0.0.1 only: it exists to be measured, not served.

if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("The floor makes Linux's own file-system calls (fdatasync, renameat2): Linux only.");
    return 2;
}

var incode = new IncodeCalls(
    new Uri(Setting("API_URL").TrimEnd('/')), Setting("API_KEY"), Setting("ADMIN_TOKEN"), Setting("FLOW_ID"));
var sessions = new SessionFiles(Path.GetFullPath(Setting("SESSIONS_DIR")));

// No configuration reload: it would watch the working directory for appsettings changes.
var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{Setting("PORT")}");
var app = builder.Build();

// Each handler takes the HttpContext and nothing else, so it is mapped as a plain RequestDelegate:
// no parameter binding is generated for it.
app.MapGet("/onboarding-status", async context =>
{
    var id = Uri.EscapeDataString(context.Request.Query["interviewId"].ToString());
    var status = await incode.GetAsync($"/omni/get/onboarding/status?id={id}", incode.AdminToken,
        FloorJson.Default.UpstreamStatus, context.RequestAborted);
    await context.Response.WriteAsJsonAsync(new StatusAnswer(true, status.OnboardingStatus ?? ""),
        FloorJson.Default.StatusAnswer, cancellationToken: context.RequestAborted);
});

app.MapGet("/fetch-score", async context =>
{
    var id = Uri.EscapeDataString(context.Request.Query["interviewId"].ToString());
    var score = await incode.GetAsync($"/omni/get/score?id={id}", context.Request.Headers["X-Token"].ToString(),
        FloorJson.Default.UpstreamScore, context.RequestAborted);
    await context.Response.WriteAsJsonAsync(new ScoreAnswer(true, score.Passed ? "OK" : "FAIL"),
        FloorJson.Default.ScoreAnswer, cancellationToken: context.RequestAborted);
});

app.MapGet("/start", async context =>
{
    var resumeId = context.Request.Query["uniqueId"].ToString();
    if (resumeId.Length > 0)
    {
        await ResumeAsync(context, resumeId);
        return;
    }

    var started = await incode.StartAsync(context.RequestAborted);
    var uniqueId = Guid.NewGuid().ToString("D");
    var file = JsonSerializer.SerializeToUtf8Bytes(new StoredSession(started.Token!, started.InterviewId!, uniqueId),
        SessionFileJson.Default.StoredSession);
    // Who owns it, under the digests of its interviewId and of its token, as the server keeps them
    // (issue 21): written in the same batch, published if the name is free, not flushed (the server
    // flushes them only when callers are known). Answered once the session's file and name are on disk.
    var owner = JsonSerializer.SerializeToUtf8Bytes(new SessionOwnership(started.InterviewId!, uniqueId, null, null),
        FloorJson.Default.SessionOwnership);
    await Task.WhenAll(
        sessions.AddAsync(uniqueId, file),
        sessions.AddIndexAsync(SessionFiles.ByInterview, started.InterviewId!, owner),
        sessions.AddIndexAsync(SessionFiles.ByToken, started.Token!, owner));
    await context.Response.WriteAsJsonAsync(new StartAnswer(started.Token!, uniqueId),
        FloorJson.Default.StartAnswer, cancellationToken: context.RequestAborted);
});

app.MapPost("/webhook", async context =>
{
    using var payload = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
    var root = payload.RootElement;
    if (root.ValueKind != JsonValueKind.Object)
    {
        context.Response.StatusCode = 400;
        return;
    }
    if (Text(root, "onboardingStatus") == "ONBOARDING_FINISHED" && Text(root, "interviewId") is { Length: > 0 } interviewId)
    {
        try
        {
            // The server logs whether the user passed; the floor reads the same answer and keeps nothing.
            _ = (await incode.GetAsync($"/omni/get/score?id={Uri.EscapeDataString(interviewId)}", incode.AdminToken,
                FloorJson.Default.UpstreamScore, context.RequestAborted)).Passed;
        }
        catch (HttpRequestException)
        {
            // As the server does: a failed lookup is not the sender's problem.
        }
        // A finished session's token is forgotten (issue 21): its owner found by the interview's digest,
        // its file replaced by what is left of it, durably; a session already forgotten is left as it is.
        await sessions.ForgetAsync(interviewId);
    }

    context.Response.ContentType = "application/json; charset=utf-8";
    await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
    {
        json.WriteStartObject();
        json.WriteString("timestamp", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        json.WriteBoolean("success", true);
        json.WritePropertyName("data");
        root.WriteTo(json);
        json.WriteEndObject();
    }
    await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
});

app.Run();
return 0;

async Task ResumeAsync(HttpContext context, string uniqueId)
{
    // The id becomes a file name: only a canonical lower-case UUID may, as in the server.
    if (!SessionFiles.IsCanonical(uniqueId))
    {
        context.Response.StatusCode = 400;
        return;
    }
    byte[] file;
    try
    {
        // A session is a small file, normally in the page cache: read in place, as the server does.
        file = File.ReadAllBytes(sessions.PathOf(uniqueId));
    }
    catch (FileNotFoundException)
    {
        context.Response.StatusCode = 400;
        return;
    }
    var session = JsonSerializer.Deserialize(file, SessionFileJson.Default.StoredSession)!;
    await context.Response.WriteAsJsonAsync(new StartAnswer(session.Token, session.UniqueId),
        FloorJson.Default.StartAnswer, cancellationToken: context.RequestAborted);
}

static string? Text(JsonElement root, string name) =>
    root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

static string Setting(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set");

/// <summary>
/// Incode's calls as the server puts them on the wire: x-api-key, api-version and a JSON
/// Content-Type on every call (a GET carries an empty body so that the header can travel), and
/// X-Incode-Hardware-Id where the call needs a token. One HttpClient for the process.
/// </summary>
internal sealed class IncodeCalls(Uri apiUrl, string apiKey, string adminToken, string flowId)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http = new(new SocketsHttpHandler()) { BaseAddress = apiUrl };
    private readonly byte[] _startBody = JsonSerializer.SerializeToUtf8Bytes(new UpstreamStartRequest(flowId, "en-US"),
        FloorJson.Default.UpstreamStartRequest);

    public string AdminToken { get; } = adminToken;

    public Task<T> GetAsync<T>(string pathAndQuery, string hardwareId, JsonTypeInfo<T> answer, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, pathAndQuery, hardwareId, [], answer, ct);

    public async Task<UpstreamStarted> StartAsync(CancellationToken ct)
    {
        var started = await SendAsync(HttpMethod.Post, "/omni/start", null, _startBody, FloorJson.Default.UpstreamStarted, ct);
        return started is { Token.Length: > 0, InterviewId.Length: > 0 }
            ? started
            : throw new HttpRequestException("/omni/start answered without a token or interviewId");
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string pathAndQuery, string? hardwareId, byte[] body,
        JsonTypeInfo<T> answer, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        request.Headers.TryAddWithoutValidation("api-version", "1.0");
        if (hardwareId is not null) request.Headers.TryAddWithoutValidation("X-Incode-Hardware-Id", hardwareId);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{pathAndQuery} answered {(int)response.StatusCode}");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return await JsonSerializer.DeserializeAsync(stream, answer, ct)
            ?? throw new HttpRequestException($"{pathAndQuery} answered null");
    }
}

/// <summary>
/// Session files made durable with the calls the server's file store makes, in the same order and
/// grouped the same way: a writer thread takes every file waiting (at most 256), writes each to a
/// 0600 temporary file and fdatasyncs the durable ones, publishes each with renameat2(RENAME_NOREPLACE)
/// (a name taken by a live file stays its holder's), fsyncs the folders of the durable ones once, and
/// only then answers the batch. Group commit rather than one flush per request on a pool thread: that
/// would block the floor's request threads and flush the folder once per session, a slower floor than
/// the work needs, which would flatter the server's ratio. Beside the sessions, who owns each
/// (<see cref="ByInterview"/>, <see cref="ByToken"/>), not flushed, as the server keeps them when no
/// caller authentication is set. No recovery: any failure fails the whole batch.
/// </summary>
internal sealed class SessionFiles
{
    public const string ByInterview = "session-interviews";
    public const string ByToken = "session-tokens";

    private const int MaxBatch = 256;
    private const uint RenameNoReplace = 1;
    private const int AtCurrentDirectory = -100;
    private const int OpenReadOnlyCloseOnExec = 0x80000;
    private const int FileExists = 17; // EEXIST
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24); // SESSION_TTL_HOURS' default

    private readonly string _folder;
    private readonly Channel<PendingFile> _pending = Channel.CreateUnbounded<PendingFile>(new() { SingleReader = true });

    public SessionFiles(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(Path.Combine(folder, ByInterview));
        Directory.CreateDirectory(Path.Combine(folder, ByToken));
        new Thread(WriteBatches) { IsBackground = true, Name = "Session files" }.Start();
    }

    public string PathOf(string uniqueId) => Path.Combine(_folder, uniqueId + ".json");

    /// <summary>A session's file, durable once the task completes.</summary>
    public Task AddAsync(string uniqueId, byte[] contents) => Add(PathOf(uniqueId), contents, durable: true);

    /// <summary>An ownership record under the SHA-256 of <paramref name="id"/>, kept only if the name is free.</summary>
    public Task AddIndexAsync(string collection, string id, byte[] contents) => Add(IndexPath(collection, id), contents, durable: false);

    /// <summary>The server's forgetting of a finished session's token, in the same reads and writes.</summary>
    public async Task ForgetAsync(string interviewId)
    {
        if (Read(IndexPath(ByInterview, interviewId)) is not { } index) return;
        var owner = JsonSerializer.Deserialize(index, FloorJson.Default.SessionOwnership);
        if (owner?.UniqueId is not { } uniqueId || !IsCanonical(uniqueId) || Read(PathOf(uniqueId)) is not { } file) return;
        var session = JsonSerializer.Deserialize(file, SessionFileJson.Default.StoredSession);
        if (session is null || session.Finished || session.Token.Length == 0) return;

        File.Delete(PathOf(uniqueId));
        await AddAsync(uniqueId, JsonSerializer.SerializeToUtf8Bytes(
            new StoredSession("", owner.InterviewId, uniqueId) { Finished = true }, SessionFileJson.Default.StoredSession));
    }

    private string IndexPath(string collection, string id) =>
        Path.Combine(_folder, collection, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))) + ".json");

    private Task Add(string target, byte[] contents, bool durable)
    {
        var file = new PendingFile(target, Path.Combine(Path.GetDirectoryName(target)!, $".{Guid.NewGuid():N}.tmp"), contents, durable);
        _pending.Writer.TryWrite(file);
        return file.Stored.Task;
    }

    private static byte[]? Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Only a canonical lower-case UUID names a session file, as in the server.</summary>
    public static bool IsCanonical(string value)
    {
        if (value.Length != 36) return false;
        for (var i = 0; i < value.Length; i++)
        {
            if (!(i is 8 or 13 or 18 or 23 ? value[i] == '-' : char.IsAsciiHexDigitLower(value[i]))) return false;
        }
        return true;
    }

    private void WriteBatches()
    {
        var batch = new List<PendingFile>(MaxBatch);
        while (_pending.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var file)) batch.Add(file);
            try
            {
                Commit(batch);
                foreach (var file in batch) file.Stored.TrySetResult();
            }
            catch (Exception ex)
            {
                foreach (var file in batch) file.Stored.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private void Commit(List<PendingFile> batch)
    {
        foreach (var file in batch)
        {
            using var stream = new FileStream(file.Temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                BufferSize = 0,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            stream.Write(file.Contents);
            if (file.Durable) Check(FDataSync(stream.SafeFileHandle), "fdatasync");
        }
        foreach (var file in batch)
        {
            if (RenameAt2(AtCurrentDirectory, file.Temporary, AtCurrentDirectory, file.Target, RenameNoReplace) == 0) continue;
            Check(Marshal.GetLastPInvokeError() == FileExists ? 0 : -1, "renameat2");
            // The name is taken: by an expired file it is freed and tried once more, as the server does.
            if (File.GetLastWriteTimeUtc(file.Target) + Lifetime < DateTime.UtcNow)
            {
                File.Delete(file.Target);
                if (RenameAt2(AtCurrentDirectory, file.Temporary, AtCurrentDirectory, file.Target, RenameNoReplace) == 0) continue;
            }
            File.Delete(file.Temporary);
        }

        foreach (var folderPath in batch.Where(f => f.Durable).Select(f => Path.GetDirectoryName(f.Target)!).Distinct())
        {
            var folder = Open(folderPath, OpenReadOnlyCloseOnExec);
            Check(folder, "open of the folder");
            try
            {
                Check(FSync(folder), "fsync of the folder");
            }
            finally
            {
                Close(folder);
            }
        }
    }

    private static void Check(int result, string call)
    {
        if (result < 0) throw new IOException($"{call} failed with errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FDataSync(Microsoft.Win32.SafeHandles.SafeFileHandle file);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    private sealed class PendingFile(string target, string temporary, byte[] contents, bool durable)
    {
        public string Target { get; } = target;
        public string Temporary { get; } = temporary;
        public byte[] Contents { get; } = contents;
        public bool Durable { get; } = durable;
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

internal sealed record UpstreamStartRequest(string ConfigurationId, string Language);
internal sealed record UpstreamStarted(string? Token, string? InterviewId);
internal sealed record UpstreamStatus(string? OnboardingStatus);
internal sealed record UpstreamScoreStatus(string? Status);

internal sealed record UpstreamScore(UpstreamScoreStatus? Overall)
{
    public bool Passed => Overall?.Status == "OK"; // WARN, FAIL, MANUAL… count as FAIL, as in the server
}

internal sealed record StatusAnswer(bool Success, string OnboardingStatus);
internal sealed record ScoreAnswer(bool Success, string Score);
internal sealed record StartAnswer(string Token, string UniqueId);

/// <summary>The server's session file format: 2-space indented, keys token, interviewId, uniqueId (and finished, once forgotten).</summary>
internal sealed record StoredSession(string Token, string InterviewId, string UniqueId)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Finished { get; init; }
}

/// <summary>The server's ownership record (issue 21).</summary>
internal sealed record SessionOwnership(string InterviewId, string? UniqueId, string? User, string? ExternalCustomerId);

// Source-generated: serialization needs no reflection or warm-up of its own.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UpstreamStartRequest))]
[JsonSerializable(typeof(UpstreamStarted))]
[JsonSerializable(typeof(UpstreamStatus))]
[JsonSerializable(typeof(UpstreamScore))]
[JsonSerializable(typeof(StatusAnswer))]
[JsonSerializable(typeof(ScoreAnswer))]
[JsonSerializable(typeof(StartAnswer))]
[JsonSerializable(typeof(SessionOwnership))]
internal sealed partial class FloorJson : JsonSerializerContext;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(StoredSession))]
internal sealed partial class SessionFileJson : JsonSerializerContext;
