package rsc.backend.swarm;

import rsc.model.Endpoint;
import rsc.model.Host;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What rsc can still say on a manager cut off from the swarm's majority (Swarm has no leader here): the group's nodes
 * whose containers run on this machine, read from this engine's own container API and reached on this machine's
 * loopback. Every other node is unknown from here, and the majority side (if there is one) may already have started
 * replacements for these; the listing says so in each node's detail, and {@code status} and {@code doctor} say it
 * once for the group.
 */
final class MinorityView {

    /** A node listed from this machine's containers, and the addresses that reach it. */
    record Listing(List<Node> nodes, Map<String, Endpoint> reach) {
    }

    private MinorityView() {
    }

    static Listing of(List<EngineContainers.LocalTask> tasks, String group, EngineInfo engine) {
        Host here = new Host(engine.nodeId(), engine.nodeAddress(), "cut off (no leader)", "");
        List<Node> nodes = new ArrayList<>();
        Map<String, Endpoint> reach = new java.util.HashMap<>();
        for (EngineContainers.LocalTask t : tasks) {
            String g = t.labels().get(SwarmBackend.GROUP);
            String kindLabel = t.labels().get(SwarmBackend.KIND);
            int index = ServiceListing.parseIndex(t.labels().get(SwarmBackend.INDEX));
            if (g == null || kindLabel == null || index <= 0 || (group != null && !group.equals(g))) {
                continue;
            }
            NodeKind kind = "sentinel".equals(kindLabel) ? NodeKind.SENTINEL : NodeKind.REDIS;
            Integer port = t.published().get(kind.standardPort());
            Endpoint announced = new Endpoint(t.service(), kind.standardPort());
            Endpoint to = port == null ? announced : new Endpoint("127.0.0.1", port);
            NodeState state = port == null ? NodeState.STARTING : t.paused() ? NodeState.FROZEN : NodeState.RUNNING;
            if (port != null) {
                reach.put(t.service(), to);
                t.addresses().forEach(a -> reach.put(a, to));
            }
            nodes.add(new Node(t.service(), g, kind, index, announced, to, state, "container "
                    + DockerErrors.shortId(t.containerId()) + " on this machine (swarm has no leader here: nodes on other "
                    + "machines unknown)", here));
        }
        nodes.sort(Comparator.comparing(Node::group).thenComparing(Node::kind).thenComparingInt(Node::index));
        return new Listing(List.copyOf(nodes), Map.copyOf(reach));
    }
}
