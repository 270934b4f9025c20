using System.Runtime.CompilerServices;
using OrleansTracker.Grains.Swarm;
using Xunit;

namespace OrleansTracker.Tests.Swarm;

/// <summary>The memory promises: packed peers, small arrays for small swarms.</summary>
public sealed class SwarmLayoutTests
{
    [Fact]
    public void stored_peers_pack_into_56_bytes_for_ipv4_and_72_for_ipv6()
    {
        Assert.Equal(56, Unsafe.SizeOf<PeerEntry<IPv4Address>>());
        Assert.Equal(72, Unsafe.SizeOf<PeerEntry<IPv6Address>>());
        Assert.Equal(20, Unsafe.SizeOf<PeerIdBytes>());
    }

    [Fact]
    public void peer_list_starts_empty_and_grows_by_half()
    {
        var list = new PeerList<IPv4Address>();
        Assert.Equal(0, list.Capacity);

        list.Add();
        Assert.Equal(PeerList<IPv4Address>.MinCapacity, list.Capacity);
        var capacities = new List<int>();
        for (var i = 1; i < 10; i++)
        {
            list.Add();
            capacities.Add(list.Capacity);
        }

        Assert.Equal(10, list.Count);
        Assert.Equal([2, 3, 4, 6, 6, 9, 9, 9, 13], capacities);   // 10 peers in 13 slots, not 16
    }

    [Fact]
    public void peer_list_shrinks_when_mostly_empty_and_lets_go_when_empty()
    {
        var list = new PeerList<IPv4Address>();
        for (var i = 0; i < 64; i++)
            list.Add();
        Assert.Equal(94, list.Capacity);     // 2, 3, 4, 6, 9, 13, 19, 28, 42, 63, 94
        for (var i = 0; i < 40; i++)
            list.RemoveAt(0);

        Assert.Equal(24, list.Count);
        Assert.Equal(94, list.Capacity);

        list.RemoveAt(0);                    // at most a quarter full: shrink, to twice the count
        Assert.Equal(23, list.Count);
        Assert.Equal(46, list.Capacity);

        list.Truncate(0);
        Assert.Equal(0, list.Capacity);
    }

    [Fact]
    public void swap_remove_moves_the_last_entry_into_the_hole()
    {
        var list = new PeerList<IPv4Address>();
        for (var i = 0; i < 5; i++)
            list[list.Add()].Port = (ushort)i;

        Assert.Equal(4, list.RemoveAt(1));
        Assert.Equal(-1, list.RemoveAt(3));
        Assert.Equal(new ushort[] { 0, 4, 2 }, list.AsSpan().ToArray().Select(e => e.Port));
    }
}
