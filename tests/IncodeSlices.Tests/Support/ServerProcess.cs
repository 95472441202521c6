using System.Diagnostics;

namespace IncodeSlices.Tests.Support;

/// <summary>
/// The server as a real process (the Host assembly the tests build): the other way the suite stands
/// it up, for what only a process shows (start-up failures, exit codes, console output, a real
/// socket, being killed). Each start costs about a second of CPU, so these tests are few.
/// With INCODESLICES_TEST_SERVER set to a published native executable, that is the process started
/// (CI runs the tests of <see cref="Category"/> so), catching what only the AOT build gets wrong.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private TaskCompletionSource _nextLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The trait of the tests that stand the server up as a process, and pass against the native executable too.</summary>
    public const string Category = "Process";

    /// <summary>The published native executable to start instead of the Host assembly under <c>dotnet</c>, if set.</summary>
    public static string? NativeExecutable { get; } =
        Environment.GetEnvironmentVariable("INCODESLICES_TEST_SERVER") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public int Port { get; private init; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Keeps a line of output and wakes whoever waits for the next one.</summary>
    private void Add(string? line)
    {
        if (line is null) return;
        TaskCompletionSource arrived;
        lock (_output)
        {
            _output.Add(line);
            arrived = _nextLine;
            _nextLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.SetResult();
    }

    /// <summary>Starts the server in <paramref name="workingDirectory"/> with exactly these variables (nothing inherited of Incode's).</summary>
    public static ServerProcess Start(string workingDirectory, IDictionary<string, string?> environment, string[]? args = null)
    {
        var info = NewStartInfo(workingDirectory, NativeExecutable ?? "dotnet");
        if (NativeExecutable is null) info.ArgumentList.Add(typeof(Program).Assembly.Location);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        return Launch(info, environment, args);
    }

    /// <summary>
    /// Starts the server as the README does, <c>dotnet run --project src/Host</c> from the repository
    /// root, launch settings and all; the environment name is left to them, as in a fresh shell.
    /// No build: the test run has built the Host already.
    /// </summary>
    public static ServerProcess StartWithDotnetRun(IDictionary<string, string?> environment, string[]? args = null)
    {
        var info = NewStartInfo(RepositoryRoot);
        foreach (var arg in (string[])["run", "--no-build", "--configuration", BuildConfiguration, "--project", "src/Host", "--"])
            info.ArgumentList.Add(arg);
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        return Launch(info, environment, args);
    }

    /// <summary>The real process, listening, its Incode at <paramref name="incodeUrl"/> and its sessions under <paramref name="root"/>, which is also its working directory.</summary>
    public static async Task<ServerProcess> StartStubbedAsync(string incodeUrl, string root, IDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["API_URL"] = incodeUrl,
            ["API_KEY"] = IncodeStub.ApiKey,
            ["FLOW_ID"] = IncodeStub.FlowId,
            ["ADMIN_TOKEN"] = IncodeStub.AdminToken,
            ["SESSIONS_DIR"] = Path.Combine(root, "sessions"),
            ["RATE_LIMIT_PER_MINUTE"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        var server = Start(root, environment);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    private static ProcessStartInfo NewStartInfo(string workingDirectory, string program = "dotnet") => new(program)
    {
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    private static ServerProcess Launch(ProcessStartInfo info, IDictionary<string, string?> environment, string[]? args)
    {
        var port = FreePorts.Next();
        foreach (var arg in args ?? []) info.ArgumentList.Add(arg);
        foreach (var name in info.Environment.Keys.Where(IsServerVariable).ToList()) info.Environment.Remove(name);
        info.Environment["PORT"] = port.ToString();
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return new ServerProcess(Process.Start(info)!) { Port = port };
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "IncodeSlices.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No IncodeSlices.sln above {AppContext.BaseDirectory}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>The server writes its log from a background thread: waits until <paramref name="text"/> has been written.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        var exited = _process.WaitForExitAsync(patience.Token);
        while (true)
        {
            Task nextLine;
            lock (_output)
            {
                if (_output.Any(line => line.Contains(text, StringComparison.Ordinal))) return;
                nextLine = _nextLine.Task;
            }
            if (await Task.WhenAny(nextLine, exited) == exited) break; // what it wrote before ending is all there is
        }
        await exited; // throws if patience ran out
        _process.WaitForExit(); // flushes the redirected output
        Assert.Contains(text, Output);
    }

    /// <summary>Waits until the server answers HTTP at all (any status).</summary>
    public async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited: {Output}");
            try
            {
                await http.GetAsync("/__ready_probe");
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(50); // not listening yet, or too busy starting to answer in time
            }
        }
        throw new TimeoutException($"server did not listen within {timeout}: {Output}");
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as a container runtime stops it, then waits until the process has ended.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (SignalTerminate(_process.Id, 15) != 0) throw new InvalidOperationException("kill(SIGTERM) failed");
        await WaitForExitAsync(timeout);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SignalTerminate(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private static bool IsServerVariable(string name) =>
        name is "API_URL" or "API_KEY" or "FLOW_ID" or "ADMIN_TOKEN" or "PORT" or "SESSIONS_DIR" or "METRICS_PORT" or "LOG_FORMAT"
        || name.StartsWith("OTEL_", StringComparison.Ordinal)
        || name.StartsWith("INCODE_", StringComparison.Ordinal) || name.StartsWith("ADMIN_", StringComparison.Ordinal)
        || name.StartsWith("WEBHOOK_", StringComparison.Ordinal) || name.StartsWith("REDIS", StringComparison.Ordinal);
}
