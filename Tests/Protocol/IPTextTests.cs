using System.Net;
using System.Net.Sockets;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>The allocation-free IP text helpers, checked against System.Net.IPAddress.</summary>
public sealed class IPTextTests
{
    [Theory]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("1::", "1::")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]   // RFC 5952: first of equal runs
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")] // a single zero group stays
    [InlineData("fe80::1:2:3:4:5:6", "fe80:0:1:2:3:4:5:6")]
    [InlineData("::ffff:1.2.3.4", "::ffff:102:304")]
    [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    public void ipv6_text_parses_and_formats_canonically(string text, string canonical)
    {
        var address = new byte[16];
        Assert.True(IPText.TryParseIPv6(Encoding.ASCII.GetBytes(text), address));
        Assert.Equal(IPAddress.Parse(text).GetAddressBytes(), address);
        var output = new byte[IPText.MaxIPv6Length];
        Assert.Equal(canonical, Encoding.ASCII.GetString(output, 0, IPText.FormatIPv6(address, output)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData("1:")]
    [InlineData(":1")]
    [InlineData("1::2::3")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("12345::")]
    [InlineData("fe80::1%eth0")]
    [InlineData("::1.2.3")]
    [InlineData("::1.2.3.4:5")]
    [InlineData("g::")]
    [InlineData("1.2.3.4")]
    public void bad_ipv6_text_is_refused(string text) =>
        Assert.False(IPText.TryParseIPv6(Encoding.ASCII.GetBytes(text), new byte[16]));

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("256.1.1.1", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("1.2.3", false)]
    [InlineData("1.2.3.4.", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("1..3.4", false)]
    [InlineData("1234.1.1.1", false)]
    [InlineData("", false)]
    [InlineData("a.b.c.d", false)]
    public void ipv4_text_is_strict_dotted_quad(string text, bool valid)
    {
        var address = new byte[4];
        Assert.Equal(valid, IPText.TryParseIPv4(Encoding.ASCII.GetBytes(text), address));
        if (valid)
            Assert.Equal(IPAddress.Parse(text).GetAddressBytes(), address);
    }

    [Fact]
    public void random_addresses_round_trip_through_text()
    {
        var random = new Random(5952);
        var output = new byte[IPText.MaxIPv6Length];
        var parsed = new byte[16];
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[16];
            // Zero out random groups so that "::" compression gets exercised.
            random.NextBytes(bytes);
            for (var g = 0; g < 8; g++)
                if (random.Next(3) == 0)
                    bytes[2 * g] = bytes[(2 * g) + 1] = 0;
            var n = IPText.FormatIPv6(bytes, output);
            var text = Encoding.ASCII.GetString(output, 0, n);
            Assert.Equal(bytes, IPAddress.Parse(text).GetAddressBytes());
            Assert.True(IPText.TryParseIPv6(output.AsSpan(0, n), parsed), text);
            Assert.Equal(bytes, parsed);

            var v4 = bytes[..4];
            n = IPText.FormatIPv4(v4, output);
            Assert.Equal(new IPAddress(v4).ToString(), Encoding.ASCII.GetString(output, 0, n));
            Assert.True(IPText.TryParseIPv4(output.AsSpan(0, n), parsed));
            Assert.Equal(v4, parsed[..4]);
            Assert.Equal(AddressFamily.InterNetwork, new IPAddress(v4).AddressFamily);
        }
    }
}
