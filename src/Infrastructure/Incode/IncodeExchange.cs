namespace IncodeSlices.Infrastructure.Incode;

/// <summary>One Incode call (method and path) and the payload file Incode answers it with.</summary>
public sealed record IncodeExchange(string Method, string Path, string Payload);
