using Microsoft.Extensions.Options;
using OrleansTracker.Frontends;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Access;

/// <summary>The in-memory checks of the four modes, with a manual clock for expiry.</summary>
public sealed class AccessPolicyTests
{
    private const string Permanent = "PERMANENTpermanent00000000000000";
    private const string Expiring = "EXPIRINGexpiring0000000000000000";
    private const string Unknown = "UNKNOWNunknown000000000000000000";
    private static readonly InfoHash Listed = InfoHash.ParseHex("0101010101010101010101010101010101010101");
    private static readonly InfoHash Other = InfoHash.ParseHex("0202020202020202020202020202020202020202");

    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_000_000));

    private AccessPolicy Policy(bool key, bool whitelist, bool load = true)
    {
        var policy = new AccessPolicy(Options.Create(new FrontendOptions { RequireKey = key, RequireWhitelist = whitelist }), _clock);
        if (load)
        {
            policy.Update(new WhitelistSnapshot(1, [Listed]));
            policy.Update(new KeySnapshot(1, [new AuthKeyEntry(Permanent, null), new AuthKeyEntry(Expiring, 1_000_010)]));
        }
        return policy;
    }

    [Fact]
    public void public_mode_accepts_everything_even_before_anything_is_loaded()
    {
        var policy = Policy(key: false, whitelist: false, load: false);
        Assert.Equal(Refusal.None, policy.CheckAnnounce(Other, ""));
        Assert.Equal(Refusal.None, policy.CheckAnnounce(Other, "garbage"));
    }

    [Fact]
    public void listed_mode_refuses_torrents_not_on_the_whitelist_and_ignores_keys()
    {
        var policy = Policy(key: false, whitelist: true);
        Assert.Equal(Refusal.None, policy.CheckAnnounce(Listed, ""));
        Assert.Equal(Refusal.NotWhitelisted, policy.CheckAnnounce(Other, Permanent));
    }

    [Theory]
    [InlineData("", Refusal.KeyMissing)]
    [InlineData("short", Refusal.KeyMalformed)]
    [InlineData("PERMANENTpermanent00000000000-00", Refusal.KeyMalformed)]
    [InlineData(Unknown, Refusal.KeyUnknown)]
    [InlineData("PERMANENTpermanent00000000000001", Refusal.KeyUnknown)] // last character differs
    [InlineData("permanentpermanent00000000000000", Refusal.KeyUnknown)] // keys are case-sensitive
    [InlineData(Permanent, Refusal.None)]
    [InlineData(Expiring, Refusal.None)]
    public void private_mode_checks_the_key(string key, Refusal expected) =>
        Assert.Equal(expected, Policy(key: true, whitelist: false).CheckAnnounce(Other, key));

    [Fact]
    public void a_key_is_good_through_its_valid_until_second_and_expired_after_it()
    {
        var policy = Policy(key: true, whitelist: false);
        _clock.Set(DateTimeOffset.FromUnixTimeSeconds(1_000_010));
        Assert.Equal(Refusal.None, policy.CheckKey(Expiring));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Refusal.KeyExpired, policy.CheckKey(Expiring));
        _clock.Advance(TimeSpan.FromDays(365 * 200));
        Assert.Equal(Refusal.None, policy.CheckKey(Permanent));
    }

    [Fact]
    public void private_listed_checks_the_key_first()
    {
        var policy = Policy(key: true, whitelist: true);
        Assert.Equal(Refusal.KeyMissing, policy.CheckAnnounce(Other, ""));
        Assert.Equal(Refusal.KeyUnknown, policy.CheckAnnounce(Listed, Unknown));
        Assert.Equal(Refusal.NotWhitelisted, policy.CheckAnnounce(Other, Permanent));
        Assert.Equal(Refusal.None, policy.CheckAnnounce(Listed, Permanent));
    }

    [Fact]
    public void until_the_first_copy_arrives_a_private_tracker_refuses_with_a_retry_message()
    {
        var policy = Policy(key: true, whitelist: true, load: false);
        Assert.Equal(Refusal.NotLoaded, policy.CheckAnnounce(Listed, Permanent));
        Assert.Equal(Refusal.KeyMissing, policy.CheckAnnounce(Listed, ""));
        Assert.Contains("retry", RefusalMessages.Text(Refusal.NotLoaded), StringComparison.Ordinal);
    }

    [Fact]
    public void a_new_copy_replaces_the_old_one_whole()
    {
        var policy = Policy(key: true, whitelist: true);
        policy.Update(new KeySnapshot(2, [new AuthKeyEntry(Unknown, null)]));
        policy.Update(new WhitelistSnapshot(2, [Other]));
        Assert.Equal(2, policy.KeysVersion);
        Assert.Equal(Refusal.KeyUnknown, policy.CheckKey(Permanent));
        Assert.Equal(Refusal.None, policy.CheckAnnounce(Other, Unknown));
        Assert.Equal(Refusal.NotWhitelisted, policy.CheckTorrent(Listed));
    }

    [Fact]
    public void every_denial_message_fits_a_bep15_error_to_the_smallest_announce()
    {
        foreach (var denial in Enum.GetValues<Refusal>())
            Assert.True(RefusalMessages.Bytes(denial).Length <= 98 - 8, denial.ToString());
        Assert.Equal("torrent not whitelisted", RefusalMessages.Text(Refusal.NotWhitelisted));
    }

    [Fact]
    public void generated_keys_are_32_alphanumerics_and_differ()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => AuthKeyText.Generate()).ToList();
        Assert.All(keys, k => Assert.True(AuthKeyText.IsValid(k), k));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }
}
