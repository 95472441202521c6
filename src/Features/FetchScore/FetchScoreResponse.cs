namespace IncodeSlices.Features.FetchScore;

public sealed record FetchScoreResponse(bool Success, string Score);
