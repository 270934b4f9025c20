using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// Whitelist and key routes (Torrust v1), plus the two listings this tracker adds. Every change is
/// installed in this process's frontends (<see cref="AccessListRefresher.ApplyNow"/>) before the
/// answer: a private-tracker site that issues a passkey and sends its user straight to the client
/// must not see "unknown authentication key" from the silo that said 200.
/// </summary>
internal sealed class AccessEndpoints(IGrainFactory grains, AccessListRefresher refresher)
{
    /// <summary>The body of POST /api/v1/keys is two short fields; anything longer is refused unread.</summary>
    private const int MaxBodyBytes = 4096;

    public async Task AddToWhitelist(HttpContext context)
    {
        var hash = AdminInput.InfoHash(AdminInput.Route(context, "info_hash"));
        await AccessGrains.Whitelist(grains).Add(hash);
        await refresher.ApplyNow();
        await AdminResponses.Status(context);
    }

    public async Task RemoveFromWhitelist(HttpContext context)
    {
        var hash = AdminInput.InfoHash(AdminInput.Route(context, "info_hash"));
        await AccessGrains.Whitelist(grains).Remove(hash);
        await refresher.ApplyNow();
        await AdminResponses.Status(context);
    }

    public async Task ReloadWhitelist(HttpContext context)
    {
        await AccessGrains.Whitelist(grains).Reload();
        await refresher.ApplyNow();
        await AdminResponses.Status(context);
    }

    public async Task ListWhitelist(HttpContext context)
    {
        var snapshot = await AccessGrains.Whitelist(grains).Snapshot();
        var hashes = snapshot.Hashes.Order().Select(h => h.ToHex()).ToArray();
        await AdminResponses.Json(context, new WhitelistJson(hashes), AdminJsonContext.Default.WhitelistJson);
    }

    /// <summary>POST /api/v1/keys with <c>{"key": null|"…", "seconds_valid": null|n}</c>.</summary>
    public async Task AddKey(HttpContext context)
    {
        var body = await ReadBody(context);
        var key = body.Key is null ? null : AdminInput.Key(body.Key);
        long? seconds = body.SecondsValid is { } s ? AdminInput.SecondsValid(s) : null;
        var entry = await AccessGrains.Keys(grains).Add(key, seconds);
        await refresher.ApplyNow();
        await AdminResponses.Json(context, ToJson(entry), AdminJsonContext.Default.AuthKeyJson);
    }

    /// <summary>POST /api/v1/key/{seconds_valid}: Torrust's older form, a new random key.</summary>
    public async Task GenerateKey(HttpContext context)
    {
        var seconds = AdminInput.SecondsValid(AdminInput.Route(context, "seconds_valid"));
        var entry = await AccessGrains.Keys(grains).Add(null, seconds);
        await refresher.ApplyNow();
        await AdminResponses.Json(context, ToJson(entry), AdminJsonContext.Default.AuthKeyJson);
    }

    public async Task DeleteKey(HttpContext context)
    {
        var key = AdminInput.Key(AdminInput.Route(context, "key"));
        await AccessGrains.Keys(grains).Delete(key);
        await refresher.ApplyNow();
        await AdminResponses.Status(context);
    }

    public async Task ReloadKeys(HttpContext context)
    {
        await AccessGrains.Keys(grains).Reload();
        await refresher.ApplyNow();
        await AdminResponses.Status(context);
    }

    public async Task ListKeys(HttpContext context)
    {
        var snapshot = await AccessGrains.Keys(grains).Snapshot();
        var keys = snapshot.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(ToJson).ToArray();
        await AdminResponses.Json(context, new KeysJson(keys), AdminJsonContext.Default.KeysJson);
    }

    /// <summary>Torrust writes expiry_time as chrono's UTC display form, e.g. "2024-05-01 12:00:00 UTC".</summary>
    public static AuthKeyJson ToJson(AuthKeyEntry entry) => new(
        entry.Key,
        entry.ValidUntil,
        entry.ValidUntil is { } until
            ? DateTimeOffset.FromUnixTimeSeconds(until).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : null);

    private static async Task<AddKeyJson> ReadBody(HttpContext context)
    {
        // A browser form or a fetch without preflight can only send text/plain, form or multipart
        // bodies: insisting on JSON keeps every cross-site page out of this write.
        if (!context.Request.HasJsonContentType())
            throw new AdminRequestException("the body must be JSON: send Content-Type: application/json", StatusCodes.Status415UnsupportedMediaType);
        // Read at most one byte more than allowed: a huge body is refused without being buffered.
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
            length += read;
        if (length > MaxBodyBytes)
            throw new AdminRequestException($"the request body is larger than {MaxBodyBytes} bytes");
        if (length == 0)
            throw new AdminRequestException("missing JSON body: expected {\"key\": null or a key, \"seconds_valid\": null or seconds}");
        try
        {
            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), AdminJsonContext.Default.AddKeyJson)
                ?? throw new AdminRequestException("the JSON body must be an object");
        }
        catch (JsonException e)
        {
            throw new AdminRequestException($"invalid JSON body: {e.Message}");
        }
    }
}
