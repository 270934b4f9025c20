namespace OrleansTracker.Frontends.Admin;

/// <summary>Bad input found while reading a request: answered 400 with the message as JSON.</summary>
public sealed class AdminRequestException(string message) : Exception(message);
