namespace IncodeSlices.Tests.Support;

public static class StubbedServerProcess
{
    /// <summary>The real process, listening, its Incode at <paramref name="incodeUrl"/> and its sessions under <paramref name="root"/>, which is also its working directory.</summary>
    public static async Task<ServerProcess> StartAsync(string incodeUrl, string root, IDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["API_URL"] = incodeUrl,
            ["API_KEY"] = IncodeStub.ApiKey,
            ["FLOW_ID"] = IncodeStub.FlowId,
            ["ADMIN_TOKEN"] = IncodeStub.AdminToken,
            ["SESSIONS_DIR"] = Path.Combine(root, "sessions"),
            ["RATE_LIMIT_PER_MINUTE"] = "0", // malformed-input storms are not what the cost cap is tested with
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        var server = ServerProcess.Start(root, environment);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        return server;
    }
}
