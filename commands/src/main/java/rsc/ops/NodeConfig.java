package rsc.ops;

import java.util.List;

/** The Redis settings rsc gives every data node it starts, the same on every node of a group. */
public final class NodeConfig {

    private NodeConfig() {
    }

    /** Settings for a data node: consistent replica priority, so Sentinel may promote any replica. */
    public static List<List<String>> redisDefaults() {
        return List.of(List.of("replica-priority", "100"));
    }
}
