using System.Net;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>The allocation-free IP text formatting, checked against System.Net.IPAddress.</summary>
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
    public void ipv6_text_is_canonical(string text, string canonical)
    {
        var output = new byte[IPText.MaxIPv6Length];
        Assert.Equal(canonical, Encoding.ASCII.GetString(output, 0, IPText.FormatIPv6(IPAddress.Parse(text).GetAddressBytes(), output)));
    }

    [Fact]
    public void random_addresses_format_to_text_that_parses_back()
    {
        var random = new Random(5952);
        var output = new byte[IPText.MaxIPv6Length];
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[16];
            // Zero out random groups so that "::" compression gets exercised.
            random.NextBytes(bytes);
            for (var g = 0; g < 8; g++)
                if (random.Next(3) == 0)
                    bytes[2 * g] = bytes[(2 * g) + 1] = 0;
            var n = IPText.FormatIPv6(bytes, output);
            Assert.Equal(bytes, IPAddress.Parse(Encoding.ASCII.GetString(output, 0, n)).GetAddressBytes());

            var v4 = bytes[..4];
            n = IPText.FormatIPv4(v4, output);
            Assert.Equal(new IPAddress(v4).ToString(), Encoding.ASCII.GetString(output, 0, n));
        }
    }
}
