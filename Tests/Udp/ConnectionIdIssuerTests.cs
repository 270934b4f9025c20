using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Udp;

public sealed class ConnectionIdIssuerTests
{
    private static readonly byte[] Key = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
    private static readonly PeerEndpoint Client = PeerEndpoint.FromIPv4(0x69696969, 0x7070);
    private static readonly PeerEndpoint Client6 = PeerEndpoint.FromAddressBytes("iiiiiiiiiiiiiiii"u8, 0x7070);

    private readonly ManualClock _clock = new();

    private ConnectionIdIssuer NewIssuer(byte[]? key = null) => new(key ?? Key, _clock);

    [Fact]
    public void issued_id_is_valid_for_the_same_address()
    {
        var issuer = NewIssuer();
        Assert.True(issuer.IsValid(issuer.Issue(Client), Client));
        Assert.True(issuer.IsValid(issuer.Issue(Client6), Client6));
    }

    [Fact]
    public void id_carries_issue_time_in_high_bits()
    {
        var id = NewIssuer().Issue(Client);
        Assert.Equal((uint)_clock.GetUtcNow().ToUnixTimeSeconds(), (uint)((ulong)id >> 32));
    }

    [Fact]
    public void id_stays_valid_when_nat_changes_the_source_port()
    {
        var issuer = NewIssuer();
        Assert.True(issuer.IsValid(issuer.Issue(Client), Client.WithPort(1234)));
    }

    [Fact]
    public void id_is_invalid_for_another_address()
    {
        var issuer = NewIssuer();
        var id = issuer.Issue(Client);
        Assert.False(issuer.IsValid(id, PeerEndpoint.FromIPv4(0x69696968, 0x7070)));
        Assert.False(issuer.IsValid(id, Client6));
    }

    [Fact]
    public void id_is_valid_on_another_silo_sharing_the_key()
    {
        var id = NewIssuer().Issue(Client);
        Assert.True(NewIssuer().IsValid(id, Client));
        Assert.False(NewIssuer(Enumerable.Repeat((byte)1, 16).ToArray()).IsValid(id, Client));
    }

    [Fact]
    public void id_expires_after_two_minutes()
    {
        var issuer = NewIssuer();
        var id = issuer.Issue(Client);
        _clock.Advance(TimeSpan.FromSeconds(120));
        Assert.True(issuer.IsValid(id, Client));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(issuer.IsValid(id, Client));
    }

    [Fact]
    public void id_from_up_to_five_seconds_in_the_future_is_accepted_beyond_is_not()
    {
        var issuer = NewIssuer();
        var id = issuer.Issue(Client);
        _clock.Advance(TimeSpan.FromSeconds(-5));
        Assert.True(issuer.IsValid(id, Client));
        _clock.Advance(TimeSpan.FromSeconds(-1));
        Assert.False(issuer.IsValid(id, Client));
    }

    [Fact]
    public void forged_ids_are_invalid()
    {
        var issuer = NewIssuer();
        var id = issuer.Issue(Client);
        var now = (long)(uint)_clock.GetUtcNow().ToUnixTimeSeconds() << 32;
        // A fresh timestamp with a guessed MAC, and the real id with any single bit of its MAC flipped.
        Assert.False(issuer.IsValid(now | 0x12345678, Client));
        Assert.False(issuer.IsValid(now, Client));
        for (var bit = 0; bit < 32; bit++)
            Assert.False(issuer.IsValid(id ^ (1L << bit), Client));
        // Moving the timestamp of a genuine id (to extend its life) breaks the MAC.
        Assert.False(issuer.IsValid(id + (1L << 32), Client));
    }

    [Fact]
    public void issuing_and_checking_do_not_allocate()
    {
        var issuer = NewIssuer();
        var valid = issuer.IsValid(issuer.Issue(Client6), Client6);
        ThreadAllocations.AssertNothingPerCall(100, () => valid &= issuer.IsValid(issuer.Issue(Client6), Client6));
        Assert.True(valid);
    }

    [Fact]
    public void key_must_be_sixteen_bytes() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionIdIssuer(new byte[15], _clock));

    [Fact]
    public void an_id_issued_under_the_replaced_key_stays_valid_after_a_rekey()
    {
        var issuer = NewIssuer();
        var before = issuer.Issue(Client);
        issuer.Rekey(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());

        var after = issuer.Issue(Client);
        Assert.NotEqual(before, after);
        Assert.True(issuer.IsValid(before, Client));
        Assert.True(issuer.IsValid(after, Client));
    }

    [Fact]
    public void only_the_key_before_the_current_one_is_still_accepted()
    {
        var issuer = NewIssuer();
        var first = issuer.Issue(Client);
        issuer.Rekey(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());
        issuer.Rekey(Enumerable.Range(50, 16).Select(i => (byte)i).ToArray());

        Assert.False(issuer.IsValid(first, Client));
    }

    [Fact]
    public void issuers_sharing_a_key_accept_each_others_ids()
    {
        var a = NewIssuer(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());
        var b = NewIssuer();
        Assert.False(b.IsValid(a.Issue(Client), Client));

        b.Rekey(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());

        Assert.True(b.IsValid(a.Issue(Client), Client));
    }
}
