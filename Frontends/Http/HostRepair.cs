using System.IO.Pipelines;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OrleansTracker.Frontends.Http;

/// <summary>
/// Makes a listener's connections immune to a malformed Host header (see
/// <see cref="Protocol.HostHeaderScrubber"/>): the tracker listeners use it, the admin API and the
/// dashboard do not (there a malformed Host stays a 400, as Kestrel decides).
/// </summary>
public static class HostRepair
{
    /// <summary>
    /// Connections of <paramref name="listen"/> reach Kestrel's HTTP parser with malformed Host
    /// values blanked. Call it after UseHttps, so that it reads the decrypted bytes.
    /// </summary>
    public static ListenOptions IgnoreMalformedHost(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new Duplex(new HostRepairingReader(transport.Input), transport.Output);
            return next(connection);
        });
        return listen;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
