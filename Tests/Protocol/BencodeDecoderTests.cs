using OrleansTracker.Frontends.Protocol;
using System.Text;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>The decoder must itself be strict, or the writer checks built on it prove little; lenient only on key order.</summary>
public sealed class BencodeDecoderTests
{
    [Theory]
    [InlineData("d1:ai1e1:bi2ee")]
    [InlineData("li0ei-1e4:spame")]
    [InlineData("de")]
    [InlineData("0:")]
    public void well_formed_input_is_accepted(string text) => BencodeDecoder.Decode(Encoding.Latin1.GetBytes(text));

    [Theory]
    [InlineData("d1:bi1e1:ai2ee")]   // keys out of order
    [InlineData("d1:ai1e1:ai2ee")]   // repeated key
    [InlineData("i01e")]             // leading zero
    [InlineData("i-0e")]             // negative zero
    [InlineData("ie")]               // no digits
    [InlineData("01:a")]             // length with a leading zero
    [InlineData("5:abc")]            // string past the end
    [InlineData("i1ei2e")]           // trailing data
    [InlineData("l")]                // unterminated list
    public void malformed_input_is_refused(string text) =>
        Assert.Throws<FormatException>(() => BencodeDecoder.Decode(Encoding.Latin1.GetBytes(text)));

    [Fact]
    public void lenient_mode_reads_keys_out_of_order_as_other_trackers_send_them()
    {
        var dict = BencodeDecoder.DecodeDict("d1:bi1e1:ai2ee"u8, strict: false);
        Assert.Equal(2L, dict["a"]);
        Assert.Equal(1L, dict["b"]);
    }

    [Theory]
    [InlineData("d1:ai1e1:ai2ee")]   // repeated key
    [InlineData("d1:bi1e1:ai01ee")]  // leading zero
    [InlineData("d1:ai1eei1e")]      // trailing data
    public void lenient_mode_still_refuses_malformed_input(string text) =>
        Assert.Throws<FormatException>(() => BencodeDecoder.Decode(Encoding.Latin1.GetBytes(text), strict: false));
}
