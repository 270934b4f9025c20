namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// The database cannot be used. The message names the file or server and the cause in words an
/// operator can act on; the driver's exception is the inner exception.
/// </summary>
public sealed class DatabaseException : Exception
{
    public DatabaseException()
    {
    }

    public DatabaseException(string message)
        : base(message)
    {
    }

    public DatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
