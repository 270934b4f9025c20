using Microsoft.AspNetCore.Http.Features;

namespace OrleansTracker.Frontends.WebSocket;

/// <summary>
/// Kestrel's upgrade, with the upgraded stream wrapped in a <see cref="CorkingStream"/> (the
/// WebSocket then writes its frames through it). Set on a WebSocket tracker listener's requests
/// before the WebSocket middleware reads the feature.
/// </summary>
public sealed class CorkingUpgrade(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    internal CorkingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<System.IO.Stream> UpgradeAsync()
    {
        Stream = new CorkingStream(await inner.UpgradeAsync());
        return Stream;
    }
}
