using BenchmarkDotNet.Attributes;

namespace OrleansTracker.Bench;

/// <summary>Time and allocated bytes of one codec call each (goal: 0 B allocated). See docs/benchmarks.md.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly CodecCases _cases = new();

    [Benchmark] public int UdpParseConnect() => _cases.UdpParseConnect();
    [Benchmark] public int UdpParseAnnounce() => _cases.UdpParseAnnounce();
    [Benchmark] public int UdpParseScrape() => _cases.UdpParseScrape();
    [Benchmark] public int UdpWriteConnect() => _cases.UdpWriteConnect();
    [Benchmark] public int UdpWriteAnnounce() => _cases.UdpWriteAnnounce();
    [Benchmark] public int UdpWriteScrape() => _cases.UdpWriteScrape();
    [Benchmark] public int UdpWriteError() => _cases.UdpWriteError();
    [Benchmark] public int HttpParseAnnounce() => _cases.HttpParseAnnounce();
    [Benchmark] public int HttpParseScrape() => _cases.HttpParseScrape();
    [Benchmark] public int HttpWriteAnnounceCompact() => _cases.HttpWriteAnnounceCompact();
    [Benchmark] public int HttpWriteAnnounceNonCompact() => _cases.HttpWriteAnnounceNonCompact();
    [Benchmark] public int HttpWriteScrape() => _cases.HttpWriteScrape();
    [Benchmark] public int HttpWriteFailure() => _cases.HttpWriteFailure();
}
