namespace IncodeSlices.Tests.Support;

/// <summary>
/// A test class that shares one server and one Incode stub (its fixture) across its tests; each test
/// starts from a stub with no mappings and an empty request log.
/// </summary>
public abstract class ContractTests<TFixture> : IClassFixture<TFixture> where TFixture : IncodeFixture
{
    protected ContractTests(TFixture app)
    {
        App = app;
        app.Incode.Reset();
    }

    protected TFixture App { get; }
    protected HttpClient Client => App.Client;
    protected IncodeStub Incode => App.Incode;
}
