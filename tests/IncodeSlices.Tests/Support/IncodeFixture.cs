namespace IncodeSlices.Tests.Support;

/// <summary>One stub and one server per test class; each test starts from a stub with no mappings and an empty log.</summary>
public sealed class IncodeFixture : IDisposable
{
    public IncodeFixture()
    {
        Incode = new IncodeStub();
        Api = new ApiFactory(Incode);
        Client = Api.CreateClient();
    }

    public IncodeStub Incode { get; }
    public ApiFactory Api { get; }
    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Api.Dispose();
        Incode.Dispose();
    }
}
