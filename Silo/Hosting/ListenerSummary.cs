using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansTracker.Silo.Config;

namespace OrleansTracker.Silo.Hosting;

/// <summary>
/// One line per listener at start, so an operator sees at a glance what is served where. Written
/// once the host has started everything (Kestrel starts after the other hosted services), so
/// "ready" is true when it is read.
/// </summary>
internal sealed class ListenerSummary(TrackerConfig config, IHostApplicationLifetime lifetime, ILogger<ListenerSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Write);
        return Task.CompletedTask;
    }

    private void Write()
    {
        var mode = config.Mode.ToString().ToLowerInvariant();
        foreach (var udp in config.UdpTrackers.Where(u => u.Enabled))
            logger.LogInformation("Tracker ready: udp://{Endpoint}/announce (mode {Mode})", udp.BindAddress, mode);
        foreach (var http in config.HttpTrackers.Where(h => h.Enabled))
        {
            logger.LogInformation("Tracker ready: http://{Endpoint}/announce (mode {Mode})", http.BindAddress, mode);
            if (http.SslEnabled)
                logger.LogInformation("Tracker ready: https://{Endpoint}/announce (mode {Mode})", http.SslBindAddress, mode);
        }
        if (config.HttpApi.Enabled)
            logger.LogInformation("Admin API ready: {Scheme}://{Endpoint}/api/v1/stats", config.HttpApi.SslEnabled ? "https" : "http", config.HttpApi.BindAddress);
        AdminExposure.WarnIfExposed(config.HttpApi, logger);
        if (config.HealthCheckApi.Enabled)
            logger.LogInformation("Health-check API ready: http://{Endpoint}/health_check", config.HealthCheckApi.BindAddress);
        if (config.Dashboard.Enabled)
            logger.LogInformation("Orleans dashboard ready: http://{Endpoint}/", config.Dashboard.BindAddress);
        var cluster = config.Cluster;
        logger.LogInformation("Cluster: {Role} of cluster '{ClusterId}', {Mode} membership", cluster.Role.ToString().ToLowerInvariant(),
            cluster.ClusterId, cluster.Mode == ClusterMode.AdoNet ? "database (adonet)" : "localhost");
        if (cluster.Role == ClusterRole.Frontend)
            logger.LogInformation("Storage: none (a frontend; the silos store)");
        else
            logger.LogInformation("Storage: {Storage}", config.Persistence ? $"{config.DbDriver} ({Redact(config)})" : "memory only (persistence = false)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Redact(TrackerConfig config) =>
        config.DbDriver == DbDriver.Sqlite3 ? config.DbPath : "mysql";
}
