namespace IncodeSlices.Tests.Support;

/// <summary>For what the server does in the background and says nothing about when it has (a sweep of its folder).</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, looking every 20 ms, a minute at most.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            if (patience.IsCancellationRequested) Assert.Fail($"still not so after a minute: {what}");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
