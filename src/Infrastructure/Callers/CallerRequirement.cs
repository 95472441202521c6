namespace IncodeSlices.Infrastructure.Callers;

/// <summary>Endpoint metadata: the route takes part in caller authentication (<see cref="CallerAuthentication.RequireCaller"/>).</summary>
public sealed record CallerRequirement(CallerNeed Need);
