namespace IncodeSlices.Infrastructure.Http;

/// <summary>Endpoint metadata: see <see cref="JsonBodies.AcceptsFormBody{TBuilder}"/>.</summary>
public sealed class FormBody
{
    public static readonly FormBody Instance = new();

    private FormBody()
    {
    }
}
