using System.Text;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>The test decoder must itself be strict, or the writer checks built on it prove little.</summary>
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
}
