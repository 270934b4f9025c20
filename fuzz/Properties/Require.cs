namespace OrleansTracker.Fuzz;

/// <summary>
/// Property checks shared by the AFL targets (fuzz/) and the property-based tests
/// (Tests/Protocol/Fuzz*Tests.cs). A violated property throws, which AFL records as a crash and
/// xunit as a failure; so does any exception that escapes a codec.
/// </summary>
internal static class Require
{
    public static void That(bool condition, string property)
    {
        if (!condition)
            throw new InvalidOperationException("property violated: " + property);
    }
}
