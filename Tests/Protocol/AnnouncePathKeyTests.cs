using System.Text;
using OrleansTracker.Frontends.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

public sealed class AnnouncePathKeyTests
{
    private const string Key = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

    [Theory]
    [InlineData("/announce/" + Key, Key)]
    [InlineData("/announce/" + Key + "?passkey=x&y=1", Key)]
    [InlineData("/announce/" + Key + "/", Key)]
    [InlineData("/announce/short", "short")]
    [InlineData("/announce/" + Key + "/extra", Key + "/extra")]
    public void the_segment_after_announce_is_the_key(string urlData, string expected) =>
        Assert.Equal(expected, Find(urlData));

    [Theory]
    [InlineData("")]
    [InlineData("/announce")]
    [InlineData("/announce/")]
    [InlineData("/announce?key=" + Key)]
    [InlineData("/scrape/" + Key)]
    [InlineData("announce/" + Key)]
    [InlineData("/x/announce/" + Key)]
    public void a_path_without_a_key_segment_gives_none(string urlData) =>
        Assert.Equal("", Find(urlData));

    private static string Find(string urlData) => Encoding.ASCII.GetString(AnnouncePathKey.Find(Encoding.ASCII.GetBytes(urlData)));
}
