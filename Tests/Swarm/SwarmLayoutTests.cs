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
    public void peer_list_starts_empty_and_grows_by_doubling()
    {
        var list = new PeerList<IPv4Address>();
        Assert.Equal(0, list.Capacity);

        list.Add();
        Assert.Equal(PeerList<IPv4Address>.MinCapacity, list.Capacity);
        for (var i = 1; i < 9; i++)
            list.Add();

        Assert.Equal(9, list.Count);
        Assert.Equal(16, list.Capacity);
    }

    [Fact]
    public void peer_list_shrinks_when_mostly_empty_and_lets_go_when_empty()
    {
        var list = new PeerList<IPv4Address>();
        for (var i = 0; i < 64; i++)
            list.Add();
        for (var i = 0; i < 47; i++)
            list.RemoveAt(0);

        Assert.Equal(17, list.Count);
        Assert.Equal(64, list.Capacity);

        list.RemoveAt(0);                    // a quarter full: halve, to twice the count
        Assert.Equal(16, list.Count);
        Assert.Equal(32, list.Capacity);

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
