package rsc.backend;

import rsc.model.Endpoint;
import rsc.model.NodeKind;

import java.util.List;
import java.util.Optional;

/**
 * What the engine asks a backend to start. The backend chooses where it runs and how it is reached.
 *
 * @param group     the group (Sentinel master name)
 * @param kind      Redis or Sentinel
 * @param role      for Redis: start as master, or as a replica of {@code master}
 * @param master    the master's announced address (replicas follow it; sentinels monitor it); empty for a new master
 * @param firstPort the first port to try; the backend takes the next free one from there; empty for the standard port
 * @param sentinel  Sentinel settings, present for Sentinel nodes
 * @param config    extra config directives for the node ({@code name value...}), validated and quoted by the backend
 * @param exactPort  when true, {@code firstPort} must be free (the operator named it); otherwise the next free one is taken
 * @param password   the group's password: {@code requirepass}/{@code masterauth} on data nodes; on sentinels their own
 *                   {@code requirepass}, {@code auth-pass} for the data nodes and {@code sentinel-pass} for their peers
 * @param persistence what a data node writes to disk (the group's choice); {@code NONE} for sentinels
 */
public record NodeSpec(String group, NodeKind kind, StartRole role, Optional<Endpoint> master, Optional<Integer> firstPort,
                       Optional<SentinelSettings> sentinel, List<List<String>> config, boolean exactPort,
                       Optional<rsc.model.Secret> password, rsc.model.Persistence persistence) {

    /** How a Redis node starts. */
    public enum StartRole { MASTER, REPLICA, SENTINEL }

    public NodeSpec {
        config = List.copyOf(config);
        persistence = persistence == null ? rsc.model.Persistence.NONE : persistence;
    }

    /** The same spec with the group's persistence. */
    public NodeSpec withPersistence(rsc.model.Persistence p) {
        return new NodeSpec(group, kind, role, master, firstPort, sentinel, config, exactPort, password, p);
    }

    /** The same spec, insisting on its first port (a port the operator typed must not be silently replaced). */
    public NodeSpec withExactPort() {
        return new NodeSpec(group, kind, role, master, firstPort, sentinel, config, true, password, persistence);
    }

    /** The same spec with the group's password (empty: the group has none). */
    public NodeSpec withPassword(Optional<rsc.model.Secret> secret) {
        return new NodeSpec(group, kind, role, master, firstPort, sentinel, config, exactPort, secret, persistence);
    }

    public static NodeSpec master(String group, Optional<Integer> firstPort, List<List<String>> config) {
        return new NodeSpec(group, NodeKind.REDIS, StartRole.MASTER, Optional.empty(), firstPort, Optional.empty(), config, false, Optional.empty(), rsc.model.Persistence.NONE);
    }

    public static NodeSpec replica(String group, Endpoint master, Optional<Integer> firstPort, List<List<String>> config) {
        return new NodeSpec(group, NodeKind.REDIS, StartRole.REPLICA, Optional.of(master), firstPort, Optional.empty(), config, false, Optional.empty(), rsc.model.Persistence.NONE);
    }

    public static NodeSpec sentinel(String group, Endpoint master, Optional<Integer> firstPort, SentinelSettings settings) {
        return new NodeSpec(group, NodeKind.SENTINEL, StartRole.SENTINEL, Optional.of(master), firstPort, Optional.of(settings), List.of(), false, Optional.empty(), rsc.model.Persistence.NONE);
    }
}
