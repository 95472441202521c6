using System.Net;
using System.Text;
using IncodeSlices.Tests.Support;

namespace IncodeSlices.Tests.Host;

/// <summary>
/// What the real process does to the machine around it, beyond answering: it writes sessions and
/// nothing else, and it watches no folder (it runs where its sessions are: the container's /app,
/// the repository under `dotnet run`, so a watch would see every session it stores).
/// </summary>
[Trait("Category", ServerProcess.Category)]
public sealed class HostFootprintTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incodeslices-footprint-").FullName;

    [SkippableFact]
    public async Task Watches_no_folder_and_writes_nothing_outside_its_sessions_folder_not_even_in_its_home()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "inotify watches are read from /proc");
        var home = Directory.CreateDirectory(Path.Combine(_folder, "home")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(_folder, "work")).FullName;
        using var server = ServerProcess.Start(work, new Dictionary<string, string?>
        {
            ["API_URL"] = "http://127.0.0.1:9",
            ["API_KEY"] = "key",
            ["FLOW_ID"] = "flow",
            ["ADMIN_TOKEN"] = "admin",
            ["WEBHOOK_SECRET"] = "webhook-secret",
            ["SESSIONS_DIR"] = Path.Combine(_folder, "sessions"),
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = null,
            ["XDG_CONFIG_HOME"] = null,
        });
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode); // fully up, the store probed

        // The webhook secret runs the authentication scheme, whose usual registration brings data
        // protection, which makes a key ring in the home folder.
        using var webhook = new StringContent("""{"interviewId":"abc","onboardingStatus":"STARTED"}""", Encoding.UTF8, "application/json");
        webhook.Headers.Add("X-Webhook-Secret", "webhook-secret");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/webhook", webhook)).StatusCode);
        var watches = InotifyWatches(server.Id);
        await server.StopAsync(TimeSpan.FromSeconds(30)); // whatever it writes in the background, it has written once it has ended

        Assert.Equal(0, watches);
        var written = Directory.EnumerateFileSystemEntries(_folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(_folder, path))
            .Where(path => path != "sessions" && !path.StartsWith("sessions" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order();
        Assert.Equal(["home", "work"], written);
    }

    /// <summary>Watches held by the process's inotify descriptors, from /proc/&lt;pid&gt;/fdinfo.</summary>
    private static int InotifyWatches(int pid) =>
        Directory.EnumerateFiles($"/proc/{pid}/fd")
            .Where(fd => new FileInfo(fd).LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
