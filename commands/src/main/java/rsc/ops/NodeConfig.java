package rsc.ops;

import java.util.List;

/** The Redis settings rsc gives every data node it starts, the same on every node of a group. */
public final class NodeConfig {

    private NodeConfig() {
    }

    /** Replicas that must have acknowledged recent writes for a master to accept more: bounds the data-loss window. */
    public static final int DEFAULT_MIN_REPLICAS = 1;
    /** Seconds of silence after which a replica no longer counts for {@code min-replicas-to-write}. */
    public static final int MIN_REPLICAS_MAX_LAG = 10;

    /**
     * Settings for a data node: consistent replica priority, so Sentinel may promote any replica; no 5 s wait before a
     * full sync, so a replica reconfigured by a failover catches up at once.
     */
    public static List<List<String>> redisDefaults() {
        return List.of(List.of("replica-priority", "100"), List.of("repl-diskless-sync-delay", "0"));
    }

    /** Settings for a node joining a group that has (or will have) replicas. */
    public static List<List<String>> withMinReplicas(int minReplicas) {
        return List.of(List.of("replica-priority", "100"), List.of("repl-diskless-sync-delay", "0"),
                List.of("min-replicas-to-write", Integer.toString(minReplicas)),
                List.of("min-replicas-max-lag", Integer.toString(MIN_REPLICAS_MAX_LAG)));
    }
}
