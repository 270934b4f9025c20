using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Interfaces.Routing;
using OrleansTracker.Tests.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Routing;

/// <summary>
/// The consistent-hash ring that both the torrent grains' placement and the frontends' routing
/// read: every process must build the same ring from the same silos, and a join or a loss may
/// move only the share that has to move.
/// </summary>
public sealed class OwnerRingTests
{
    private static readonly string[] Three = ["10.0.0.1:11111", "10.0.0.2:11111", "10.0.0.3:11111"];
    private static readonly InfoHash[] Hashes = RandomHashes(30_000, seed: 15);

    [Fact]
    public void every_process_builds_the_same_ring_whatever_order_it_learns_the_silos_in()
    {
        var one = new OwnerRing<string>(Three, s => s);
        var other = new OwnerRing<string>(Three.Reverse().ToArray(), s => s);
        Assert.All(Hashes, h => Assert.Equal(one.Owner(h), other.Owner(h)));
    }

    [Fact]
    public void a_fourth_silo_takes_about_a_quarter_and_takes_it_only_from_the_others()
    {
        var before = new OwnerRing<string>(Three, s => s);
        var after = new OwnerRing<string>([.. Three, "10.0.0.4:11111"], s => s);
        var moved = Hashes.Where(h => before.Owner(h) != after.Owner(h)).ToArray();
        Assert.All(moved, h => Assert.Equal("10.0.0.4:11111", after.Owner(h)));
        Assert.InRange(moved.Length / (double)Hashes.Length, 0.15, 0.35);
    }

    [Fact]
    public void a_lost_silo_hands_on_only_its_own_torrents()
    {
        var before = new OwnerRing<string>(Three, s => s);
        var after = new OwnerRing<string>(Three[..2], s => s);
        Assert.All(Hashes.Where(h => before.Owner(h) != Three[2]), h => Assert.Equal(before.Owner(h), after.Owner(h)));
    }

    [Fact]
    public void three_silos_get_shares_within_a_third_of_even()
    {
        var ring = new OwnerRing<string>(Three, s => s);
        foreach (var group in Hashes.GroupBy(ring.Owner))
            Assert.InRange(group.Count() / (double)Hashes.Length, 2 / 9.0, 4 / 9.0);
    }

    [Fact]
    public void a_grain_key_stands_where_its_info_hash_does()
    {
        // The placement director sees only the grain key; the frontend sees the info hash.
        Assert.All(Hashes.Take(1000), h =>
        {
            Assert.True(RingPosition.TryParse(TorrentKeys.For(h), out var position));
            Assert.Equal(RingPosition.Of(h), position);
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcde")]
    [InlineData("0123456789abcdeg0000")]
    public void a_key_that_is_not_a_hash_has_no_position(string key) =>
        Assert.False(RingPosition.TryParse(key, out _));

    [Fact]
    public void a_ring_without_silos_names_no_owner() =>
        Assert.Throws<InvalidOperationException>(() => new OwnerRing<string>([], s => s).Owner(Hashes[0]));

    private static InfoHash[] RandomHashes(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => UdpRequestEncoder.RandomHash(random)).ToArray();
    }
}
