package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.Replication;
import rsc.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Waits until replicas report {@code master_link_status:up} to the expected master. */
public final class ReplicaLinks {

    private ReplicaLinks() {
    }

    /** True when the node replicates from {@code master} with its link up. */
    static boolean linked(Session session, Node replica, Endpoint master) {
        Replication r = session.redis().node(replica.announced()).replication();
        return !r.isMaster() && r.linkUp() && r.master().map(m -> sameNode(session, m, master)).orElse(false);
    }

    /** Two announced addresses name the same node when they are equal or map to the same reachable address. */
    public static boolean sameNode(Session session, Endpoint a, Endpoint b) {
        return a.equals(b) || session.backend().reachable(a).equals(session.backend().reachable(b));
    }

    public static void await(Session session, List<Node> replicas, Endpoint master, Duration timeout, Progress progress)
            throws InterruptedException {
        if (replicas.isEmpty()) {
            return;
        }
        Waiter.until(timeout, Duration.ofMillis(100), progress, () -> {
            List<Node> down = notLinked(session, replicas, master);
            return down.isEmpty() ? Optional.of(true) : Optional.empty();
        }, () -> {
            List<Node> down = notLinked(session, replicas, master);
            return "waiting for replicas to link to the master: " + (replicas.size() - down.size()) + "/" + replicas.size() + " up";
        }, last -> "replicas did not link to the master within " + timeout.toSeconds() + " s: "
                + String.join(", ", notLinked(session, replicas, master).stream().map(Node::name).toList()) + " not up");
    }

    private static List<Node> notLinked(Session session, List<Node> replicas, Endpoint master) {
        return replicas.stream().filter(n -> {
            try {
                return !linked(session, n, master);
            } catch (RuntimeException e) {
                return true;
            }
        }).toList();
    }

    /**
     * True when the master lists every other running data node as an online replica, from one {@code INFO} of the
     * master: false for a replica left following another node, whatever the sentinels list.
     */
    public static boolean masterHoldsAll(Session session, Endpoint master, List<Node> nodes) {
        try {
            Replication r = session.reads().node(master).replication();
            if (!r.isMaster()) {
                return false;
            }
            return nodes.stream().filter(n -> n.isRedis() && n.state().running() && !sameNode(session, n.announced(), master))
                    .allMatch(n -> r.replicas().stream().anyMatch(l -> "online".equals(l.state())
                            && sameNode(session, l.address(), n.announced())));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
