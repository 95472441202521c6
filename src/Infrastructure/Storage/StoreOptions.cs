using Microsoft.Extensions.Configuration;

namespace IncodeSlices.Infrastructure.Storage;

public sealed class StoreOptions
{
    /// <summary>Folder of the file store; relative paths start at the working directory.</summary>
    [ConfigurationKeyName("SESSIONS_DIR")] public string SessionsDir { get; set; } = "sessions";
}
