using Refit;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// The executive login, in a client of its own: no admin token to add (it is how one is obtained),
/// and being a POST it is never retried, so a wrong password costs one failed attempt at Incode,
/// not several that could lock the account.
/// </summary>
public interface IIncodeExecutiveApi
{
    [Post(IncodePaths.ExecutiveLogIn)]
    Task<IncodeExecutiveToken> LogInAsync([Body(buffered: true)] IncodeExecutiveLogIn body, CancellationToken ct);
}
