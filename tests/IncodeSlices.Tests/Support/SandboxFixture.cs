namespace IncodeSlices.Tests.Support;

/// <summary>One sandbox-mode server per test class; the sandbox keeps state, so tests start sessions of their own.</summary>
public sealed class SandboxFixture : IDisposable
{
    public SandboxFixture()
    {
        Api = ApiFactory.Sandbox();
        Client = Api.CreateClient();
    }

    public ApiFactory Api { get; }
    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Api.Dispose();
    }
}
