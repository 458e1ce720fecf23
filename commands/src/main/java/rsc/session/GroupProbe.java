package rsc.session;

import rsc.model.Topology;
import rsc.model.Endpoint;
import rsc.model.Node;

import java.util.List;
import java.util.Optional;

/**
 * How the topology cache learns a group's master and health. Finding the master is an operation (sentinels' votes,
 * else the nodes' roles), so the one who builds the engine passes it in and the session imports no operation.
 */
@FunctionalInterface
public interface GroupProbe {

    /**
     * What the probe found.
     *
     * @param master the master's announced address, when one was located
     * @param health {@code DOWN} without a master, {@code OK} when every node runs and follows it, else {@code DEGRADED}
     */
    record Found(Optional<Endpoint> master, Topology.Health health) {
    }

    /** Locates the group's master among its nodes and judges its health. */
    Found probe(Session session, String group, List<Node> nodes) throws InterruptedException;
}
