using SharpFuzz;

namespace OrleansTracker.Fuzz;

/// <summary>
/// AFL entry point: <c>OrleansTracker.Fuzz udp|http|bencode</c> runs SharpFuzz's in-process fork
/// server for one target (see fuzz/run.sh). <c>OrleansTracker.Fuzz TARGET FILE…</c> replays inputs
/// outside AFL, to reproduce a crash with its stack trace.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        Action<ReadOnlySpan<byte>>? target = args.Length == 0 ? null : args[0] switch
        {
            "udp" => UdpTarget.Check,
            "http" => HttpTarget.Check,
            "bencode" => BencodeTarget.Check,
            _ => null,
        };
        if (target is null)
        {
            Console.Error.WriteLine("usage: OrleansTracker.Fuzz udp|http|bencode [FILE...]");
            return 2;
        }
        if (args.Length > 1)
        {
            foreach (var file in args[1..])
                target(File.ReadAllBytes(file));
            Console.WriteLine($"{args.Length - 1} input(s) passed");
            return 0;
        }
        // One buffer for the whole run: the fork server calls the action millions of times.
        var buffer = new byte[64 * 1024];
        Fuzzer.Run(stream =>
        {
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            target(buffer.AsSpan(0, length));
        });
        return 0;
    }
}
