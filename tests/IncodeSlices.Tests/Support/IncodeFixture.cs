namespace IncodeSlices.Tests.Support;

/// <summary>One stub and one server per test class; each test starts from a stub with no mappings and an empty log.</summary>
public class IncodeFixture : IDisposable
{
    public IncodeFixture() : this(null)
    {
    }

    protected IncodeFixture(IDictionary<string, string?>? settings)
    {
        Incode = new IncodeStub();
        Api = new ApiFactory(Incode, settings);
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

/// <summary>The same, with sessions and approvals in Redis (SESSION_STORE=redis) under a key prefix of its own.</summary>
public sealed class RedisIncodeFixture() : IncodeFixture(TestRedis.Settings(TestRedis.NewPrefix()));
