namespace IncodeSlices.Infrastructure.Errors;

/// <summary>An error answer: its status and the sentence the caller sees.</summary>
public sealed record ErrorAnswer(int Status, string Error);
