using Microsoft.AspNetCore.Http;

namespace OrleansTracker.Frontends.Admin;

/// <summary>Bad input found while reading a request: answered with <see cref="Status"/> (400 unless said) and the message as JSON.</summary>
public sealed class AdminRequestException(string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int Status { get; } = status;
}
