using System.Net;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// The server runs where its sessions are (the container's /app, the repository under `dotnet
/// run`). A configuration reload watch on that folder would put every session file it writes
/// through a file watcher: the process must hold no inotify watch at all.
/// </summary>
[Collection(ServerProcessCollection.Name)]
public sealed class FileWatchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-watch-").FullName;

    [SkippableFact]
    public async Task Watches_no_folder_not_even_the_sessions_below_its_working_directory()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "inotify watches are read from /proc");
        Directory.CreateDirectory(Path.Combine(_folder, "sessions", "approvals"));
        using var server = ServerProcess.Start(_folder, new Dictionary<string, string?>
        {
            ["API_URL"] = "http://127.0.0.1:9", ["API_KEY"] = "key", ["FLOW_ID"] = "flow", ["ADMIN_TOKEN"] = "admin",
            ["SESSIONS_DIR"] = Path.Combine(_folder, "sessions"),
        });
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode); // the host is fully up

        Assert.Equal(0, InotifyWatches(server.Id));
    }

    /// <summary>Watches held by the process's inotify descriptors, from /proc/&lt;pid&gt;/fdinfo.</summary>
    private static int InotifyWatches(int pid) =>
        Directory.EnumerateFiles($"/proc/{pid}/fd")
            .Where(fd => new FileInfo(fd).LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
