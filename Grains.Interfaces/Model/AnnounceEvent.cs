namespace OrleansTracker.Grains.Interfaces;

/// <summary>
/// The announce event. Values are those of the BEP 15 wire field; HTTP's text values
/// (BEP 3: started, completed, stopped, empty or absent) map onto the same enum.
/// </summary>
public enum AnnounceEvent
{
    None = 0,
    Completed = 1,
    Started = 2,
    Stopped = 3,
}
