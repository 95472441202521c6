// The suite checks Unix file modes of the session store; it runs on Linux (CI) and macOS.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]
