using System.Text;
using OrleansTracker.Frontends.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>BEP 41 options after the 98-byte announce: 0x0 end, 0x1 NOP, 0x2 URL data.</summary>
public sealed class UdpUrlDataTests
{
    private static (bool Ok, string Url) Read(byte[] options, int destinationLength = 255)
    {
        var packet = UdpRequestEncoder.Announce(default, options);
        var destination = new byte[destinationLength];
        var ok = UdpRequestParser.TryReadUrlData(packet, destination, out var written);
        return (ok, Encoding.ASCII.GetString(destination, 0, written));
    }

    [Fact]
    public void single_url_data_option_is_read() =>
        Assert.Equal((true, "/announce/abc"), Read([0x2, 13, .. "/announce/abc"u8, 0x0]));

    [Fact]
    public void url_data_split_across_two_options_is_concatenated() =>
        Assert.Equal((true, "/announce/abc"), Read([0x2, 9, .. "/announce"u8, 0x2, 4, .. "/abc"u8]));

    [Fact]
    public void nop_options_are_skipped() =>
        Assert.Equal((true, "/a/b"), Read([0x1, 0x2, 2, .. "/a"u8, 0x1, 0x1, 0x2, 2, .. "/b"u8, 0x0]));

    [Fact]
    public void end_of_options_stops_reading() =>
        Assert.Equal((true, "/a"), Read([0x2, 2, .. "/a"u8, 0x0, 0x2, 2, .. "/b"u8]));

    [Fact]
    public void unknown_option_type_stops_reading_like_end() =>
        Assert.Equal((true, "/a"), Read([0x2, 2, .. "/a"u8, 0x7, 0x2, 2, .. "/b"u8]));

    [Fact]
    public void no_options_give_empty_url() => Assert.Equal((true, ""), Read([]));

    [Theory]
    [InlineData(new byte[] { 0x2 })]                           // length byte missing
    [InlineData(new byte[] { 0x2, 5, (byte)'/', (byte)'a' })]  // data shorter than its length
    [InlineData(new byte[] { 0x2, 1, (byte)'/', 0x2, 3, (byte)'a' })]
    public void truncated_option_is_refused(byte[] options) => Assert.False(Read(options).Ok);

    [Fact]
    public void writing_stops_at_destination_size() =>
        Assert.Equal((true, "/anno"), Read([0x2, 9, .. "/announce"u8, 0x2, 4, .. "/abc"u8], destinationLength: 5));

    [Fact]
    public void packet_shorter_than_an_announce_has_no_options()
    {
        Assert.False(UdpRequestParser.TryReadUrlData(new byte[97], new byte[255], out var written));
        Assert.Equal(0, written);
    }
}
