using OrleansTracker.Tests.Support;
using System.Net;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Access;

/// <summary>The table behind private UDP scrapes: who announced with which key, in fixed memory.</summary>
public sealed class KeyedSendersTests
{
    private static readonly KeyDigest KeyA = KeyDigest.Of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    private static readonly PeerEndpoint Sender = At("198.51.100.7");

    private static PeerEndpoint At(string address, ushort port = 0) => PeerEndpoint.FromIPAddress(IPAddress.Parse(address), port);

    [Fact]
    public void a_sender_is_recalled_by_its_address_and_connection_id_with_the_key_it_used()
    {
        var senders = new KeyedSenders();
        senders.Remember(Sender, 42, KeyA);

        Assert.True(senders.TryRecall(Sender, 42, out var key));
        Assert.Equal(KeyA, key);
        // The source port is not part of the sender (NAT may change it; the connection id ignores it too).
        Assert.True(senders.TryRecall(Sender.WithPort(999), 42, out _));
        Assert.False(senders.TryRecall(Sender, 43, out _));
        Assert.False(senders.TryRecall(At("198.51.100.8"), 42, out _));
        Assert.False(new KeyedSenders().TryRecall(Sender, 42, out _));
    }

    /// <summary>
    /// Bounded: a million distinct senders (far more than the slots) allocate nothing; the table is
    /// the same array, recent senders are still found and the older ones it dropped read as unknown.
    /// </summary>
    [Fact]
    public void a_million_senders_fit_in_the_same_memory_and_the_latest_are_recalled()
    {
        var senders = new KeyedSenders();
        const int Count = 1_000_000;
        for (var i = 0; i < 100; i++)
            senders.Remember(Sender, i, KeyA);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
            senders.Remember(At($"10.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}"), i, KeyA);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The At(...) strings allocate; Remember itself must not. Measure it alone.
        var endpoints = Enumerable.Range(0, 1000).Select(i => At($"10.9.{i >> 8}.{i & 0xFF}")).ToArray();
        var round = 0;
        ThreadAllocations.AssertNothingPerCall(200, () =>
        {
            for (var i = 0; i < endpoints.Length; i++)
                senders.Remember(endpoints[i], round, KeyA);
            round++;
        });
        Assert.True(allocated > 0); // the address parsing above, so the counter counts

        var recalled = endpoints.Count(e => senders.TryRecall(e, 999, out _));
        Assert.InRange(recalled, endpoints.Length * 9 / 10, endpoints.Length);
        var forgotten = Enumerable.Range(0, 1000).Count(i => senders.TryRecall(At($"10.0.{i >> 8}.{i & 0xFF}"), i, out _));
        Assert.InRange(forgotten, 0, 100);
    }
}
