using System.Text;
using OrleansTracker.Frontends.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

public sealed class HostSyntaxTests
{
    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("localhost:7070")]
    [InlineData("127.0.0.1:1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:7070")]
    [InlineData("[2001:db8::ffff:1.2.3.4]:80")]
    public void hosts_of_rfc_9110_pass(string host) => Assert.True(HostSyntax.IsValid(Encoding.UTF8.GetBytes(host)));

    [Theory]
    [InlineData("::1:7070")]
    [InlineData(":80")]
    [InlineData("host:")]
    [InlineData("host:8x")]
    [InlineData("host:80:81")]
    [InlineData("[::]")]
    [InlineData("[::1]:")]
    [InlineData("[::g]")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("user@host")]
    public void anything_else_fails(string host) => Assert.False(HostSyntax.IsValid(Encoding.UTF8.GetBytes(host)));
}
