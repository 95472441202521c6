using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

[assembly: SupportedOSPlatform("linux")] // fdatasync and renameat2 are called directly

// The bench's bare floor: what IncodeSlices does on each measured route, in the plainest ASP.NET
// Core there is. Same upstream call (path, query, headers, body) to the same Incode stand-in,
// same JSON answer, same durable session file; no logging, validation, mediator, OpenAPI, error
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
    await sessions.AddAsync(uniqueId, file); // answered only once the file and its name are on disk
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
    if (!IsCanonicalUuid(uniqueId))
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

static bool IsCanonicalUuid(string value)
{
    if (value.Length != 36) return false;
    for (var i = 0; i < value.Length; i++)
    {
        if (!(i is 8 or 13 or 18 or 23 ? value[i] == '-' : char.IsAsciiHexDigitLower(value[i]))) return false;
    }
    return true;
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
/// grouped the same way: a writer thread takes every session waiting (at most 256), writes each to a
/// 0600 temporary file and fdatasyncs it, publishes each with renameat2(RENAME_NOREPLACE), fsyncs
/// the folder once, and only then answers the batch. Group commit rather than one flush per request
/// on a pool thread: that would block the floor's request threads and flush the folder once per
/// session, a slower floor than the work needs, which would flatter the server's ratio.
/// No recovery: any failure fails the whole batch.
/// </summary>
internal sealed class SessionFiles
{
    private const int MaxBatch = 256;
    private const uint RenameNoReplace = 1;
    private const int AtCurrentDirectory = -100;
    private const int OpenReadOnlyCloseOnExec = 0x80000;

    private readonly string _folder;
    private readonly Channel<PendingFile> _pending = Channel.CreateUnbounded<PendingFile>(new() { SingleReader = true });

    public SessionFiles(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        new Thread(WriteBatches) { IsBackground = true, Name = "Session files" }.Start();
    }

    public string PathOf(string uniqueId) => Path.Combine(_folder, uniqueId + ".json");

    public Task AddAsync(string uniqueId, byte[] contents)
    {
        var file = new PendingFile(PathOf(uniqueId), Path.Combine(_folder, $".{uniqueId}.tmp"), contents);
        _pending.Writer.TryWrite(file);
        return file.Stored.Task;
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
            Check(FDataSync(stream.SafeFileHandle), "fdatasync");
        }
        foreach (var file in batch)
        {
            Check(RenameAt2(AtCurrentDirectory, file.Temporary, AtCurrentDirectory, file.Target, RenameNoReplace), "renameat2");
        }

        var folder = Open(_folder, OpenReadOnlyCloseOnExec);
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

    private sealed class PendingFile(string target, string temporary, byte[] contents)
    {
        public string Target { get; } = target;
        public string Temporary { get; } = temporary;
        public byte[] Contents { get; } = contents;
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

/// <summary>The server's session file format: 2-space indented, keys token, interviewId, uniqueId.</summary>
internal sealed record StoredSession(string Token, string InterviewId, string UniqueId);

// Source-generated: serialization needs no reflection or warm-up of its own.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UpstreamStartRequest))]
[JsonSerializable(typeof(UpstreamStarted))]
[JsonSerializable(typeof(UpstreamStatus))]
[JsonSerializable(typeof(UpstreamScore))]
[JsonSerializable(typeof(StatusAnswer))]
[JsonSerializable(typeof(ScoreAnswer))]
[JsonSerializable(typeof(StartAnswer))]
internal sealed partial class FloorJson : JsonSerializerContext;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(StoredSession))]
internal sealed partial class SessionFileJson : JsonSerializerContext;
