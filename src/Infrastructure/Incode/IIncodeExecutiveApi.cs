using Refit;

namespace IncodeSlices.Infrastructure.Incode;

/// <summary>
/// The executive login, in a client of its own: its chain has no admin-token renewal (a login that
/// renewed itself could loop), and being a POST it is never retried, so a wrong password costs one
/// failed attempt at Incode, not several that could lock the account.
/// </summary>
public interface IIncodeExecutiveApi
{
    [Post(IncodePaths.ExecutiveLogIn)]
    Task<IncodeExecutiveToken> LogInAsync([Body(buffered: true)] IncodeExecutiveLogIn body, CancellationToken ct);
}
