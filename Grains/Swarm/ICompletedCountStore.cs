namespace OrleansTracker.Grains.Swarm;

/// <summary>Where a swarm's completed count is kept between activations (the torrent grain's stored state).</summary>
public interface ICompletedCountStore
{
    /// <summary>
    /// False when the stored count was not read at activation (the database could not be read):
    /// the swarm then counted from 0, and the count must be read and merged before the first write.
    /// </summary>
    bool WasRead { get; }

    /// <summary>The stored count, as last read or successfully written.</summary>
    long Stored { get; }

    /// <summary>Reads the stored count again. Throws while the database cannot be read.</summary>
    Task ReadAsync();

    /// <summary>Stores <paramref name="completed"/>. Throws when the write fails; <see cref="Stored"/> then stays.</summary>
    Task WriteAsync(long completed);
}
