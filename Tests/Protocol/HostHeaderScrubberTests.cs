using System.Buffers;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// The Host repair of the tracker listeners, on bytes: malformed Host values become spaces in place,
/// everything else is left byte for byte, and the outcome is the same whatever way the stream is cut
/// into buffers and segments.
/// </summary>
public sealed class HostHeaderScrubberTests
{
    private const string Announce = "GET /announce?info_hash=%01&port=1 HTTP/1.1\r\n";

    [Theory]
    [InlineData("::1:7070")]          // libtorrent 2.0.8 towards http://[::1]:7070
    [InlineData("::1")]
    [InlineData("2001:db8::5:6881")]
    [InlineData("a b")]
    [InlineData("tracker:")]
    [InlineData(":7070")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("tr\u00e4cker")]
    public void a_malformed_host_value_is_blanked_in_place(string host)
    {
        var request = $"{Announce}User-Agent: lt\r\nHost: {host}\r\nConnection: close\r\n\r\n";
        var expected = request.Replace($"Host: {host}\r\n", $"Host: {new string(' ', Encoding.UTF8.GetByteCount(host))}\r\n", StringComparison.Ordinal);
        AssertEverySplit(request, expected);
    }

    [Theory]
    [InlineData("[::1]:7070")]
    [InlineData("[::1]")]
    [InlineData("127.0.0.1:7070")]
    [InlineData("tracker.example")]
    [InlineData("tracker-1.example_x~:80")]
    [InlineData("")]
    public void a_well_formed_host_is_left_as_it_came(string host)
    {
        var request = $"{Announce}Host: {host}\r\n\r\n";
        AssertEverySplit(request, request);
    }

    [Fact]
    public void the_header_name_is_matched_without_regard_to_case_and_surrounding_spaces_stay()
    {
        AssertEverySplit($"{Announce}HOST:\t ::1:7070 \r\n\r\n", $"{Announce}HOST:\t          \r\n\r\n");
    }

    [Fact]
    public void every_request_of_a_kept_alive_connection_is_repaired()
    {
        var one = $"{Announce}Host: ::1:7070\r\n\r\n";
        var fixedOne = $"{Announce}Host:         \r\n\r\n";
        AssertEverySplit(one + one + one, fixedOne + fixedOne + fixedOne);
    }

    [Theory]
    [InlineData("Content-Length: 20")]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("Upgrade: websocket")]
    public void after_a_head_with_a_body_or_an_upgrade_nothing_more_is_touched(string header)
    {
        // The body (or the upgraded protocol) may hold anything, even a line that reads like a Host.
        var request = $"{Announce}Host: ::1:7070\r\n{header}\r\n\r\n\r\nHost: ::1:7070\r\n{Announce}Host: ::1:7070\r\n\r\n";
        var expected = request[..Announce.Length] + "Host:         " + request[(Announce.Length + 14)..];
        AssertEverySplit(request, expected);
    }

    [Fact]
    public void a_zero_content_length_is_no_body()
    {
        var request = $"{Announce}Content-Length: 0\r\n\r\n{Announce}Host: ::1:7070\r\n\r\n";
        AssertEverySplit(request, request.Replace("::1:7070", "        ", StringComparison.Ordinal));
    }

    [Fact]
    public void an_http2_connection_is_left_alone()
    {
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\nHost: ::1:7070\r\n";
        AssertEverySplit(preface, preface);
    }

    /// <summary>
    /// Feeds <paramref name="request"/> as a reader would see it with the stream cut once at every
    /// position, each buffer also cut into two segments at every position, consuming whole lines
    /// between reads as Kestrel does with a head.
    /// </summary>
    private static void AssertEverySplit(string request, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(request);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            for (var segmentCut = 0; segmentCut <= bytes.Length; segmentCut += Math.Max(1, bytes.Length / 7))
            {
                var stream = (byte[])bytes.Clone();
                var scrubber = new HostHeaderScrubber();
                // First read: the bytes up to the cut; the reader consumes through the last line feed.
                var first = Segments(stream.AsMemory(0, cut), segmentCut);
                scrubber.Scan(first, 0);
                var consumed = stream.AsSpan(0, cut).LastIndexOf((byte)'\n') + 1;
                // Second read: everything not consumed, now complete.
                scrubber.Scan(Segments(stream.AsMemory(consumed), segmentCut - consumed), consumed);
                Assert.True(Encoding.UTF8.GetBytes(expected).AsSpan().SequenceEqual(stream), $"cut {cut}/{segmentCut}: {Encoding.UTF8.GetString(stream)}");
            }
        }
    }

    /// <summary><paramref name="memory"/> as a sequence of two segments split at <paramref name="at"/> (clamped).</summary>
    private static ReadOnlySequence<byte> Segments(Memory<byte> memory, int at)
    {
        at = Math.Clamp(at, 0, memory.Length);
        var head = new Segment(memory[..at], 0);
        var tail = head.Append(memory[at..]);
        return new ReadOnlySequence<byte>(head, 0, tail, tail.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
