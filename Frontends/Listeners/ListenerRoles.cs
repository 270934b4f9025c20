using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansTracker.Frontends.Listeners;

/// <summary>
/// The one rule "a route answers only on its own listener", for the tracker, the admin API and the
/// dashboard. Each Kestrel listener tags the connections it accepts with its role
/// (<see cref="ServeAs"/>); routing then drops every route whose role is not the connection's
/// (<see cref="RequireListener{TBuilder}"/>), so a path no route of that listener has is a 404.
/// The listener a connection came through decides, not its local port (an API on 127.0.0.1:1212
/// next to a tracker on 203.0.113.5:1212 share a port; port 0 is known only once bound) and never
/// the Host header, which a client controls and a proxy rewrites.
/// </summary>
public static class ListenerRoles
{
    /// <summary>Tags every connection <paramref name="listen"/> accepts with <paramref name="role"/>.</summary>
    public static ListenOptions ServeAs(this ListenOptions listen, ListenerRole role)
    {
        ArgumentNullException.ThrowIfNull(listen);
        // One tag per listener, shared by its connections: a connection pays one feature slot.
        var tag = new ListenerTag(role);
        listen.Use(next => connection =>
        {
            connection.Features.Set(tag);
            return next(connection);
        });
        return listen;
    }

    /// <summary>The routes of <paramref name="builder"/> answer only on connections of a listener of <paramref name="role"/>.</summary>
    public static TBuilder RequireListener<TBuilder>(this TBuilder builder, ListenerRole role)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = new ListenerTag(role);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }

    /// <summary>Registers the routing policy that enforces <see cref="RequireListener{TBuilder}"/>; without it no route is filtered.</summary>
    public static IServiceCollection AddListenerRoles(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerRolePolicy>());
        return services;
    }

    /// <summary>The role of the listener <paramref name="context"/>'s connection came through; null when it was not tagged.</summary>
    public static ListenerRole? RoleOf(HttpContext context) => context?.Features.Get<ListenerTag>()?.Role;
}

/// <summary>A listener's role, as a connection feature and as route metadata.</summary>
internal sealed class ListenerTag(ListenerRole role)
{
    public ListenerRole Role { get; } = role;
}

/// <summary>
/// Removes the candidate routes of other listeners before one is chosen, so routes of different
/// roles may even share a path (a WebSocket tracker and the dashboard may both want "/"). A route
/// mapped without a role answers on no listener: forgetting the role hides a route, it never
/// exposes one on the tracker's public port.
/// </summary>
internal sealed class ListenerRolePolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var role = ListenerRoles.RoleOf(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<ListenerTag>()?.Role != role)
                candidates.SetValidity(i, false);
        }
        return Task.CompletedTask;
    }
}
