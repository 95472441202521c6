using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Sessions;

public sealed class SessionStoreOptions
{
    /// <summary>Folder of the session files; relative paths start at the working directory.</summary>
    [ConfigurationKeyName("SESSIONS_DIR")] public string Directory { get; set; } = "sessions";
}
