namespace IncodeSlices.Host;

/// <summary>
/// <c>IncodeSlices.Host --healthcheck</c>: asks the server running in this container for
/// <c>/health</c> and exits 0 when it answers 2xx, 1 otherwise. The runtime image has neither curl
/// nor wget; this keeps it that way (no extra package to patch) and is the same program the tests run.
/// </summary>
internal static class HealthProbe
{
    public const string Argument = "--healthcheck";

    public static async Task<int> RunAsync(string? port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port ?? "3000"}/health");
            Console.WriteLine($"/health answered {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"/health did not answer: {ex.GetType().Name}");
            return 1;
        }
    }
}
